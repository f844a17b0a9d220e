package dev.tandem.dualwrite.internal;

import java.util.List;

/**
 * Tandem's state in its own MariaDB (or MySQL) database; a version is a database of views named
 * {@code <database>__<migration>}, which a connection uses as its catalog.
 */
final class MariaDbStateSql implements StateSql {
    static final MariaDbStateSql INSTANCE = new MariaDbStateSql();

    private MariaDbStateSql() {
    }

    @Override
    public String ident(String name) {
        return '`' + name.replace("`", "``") + '`';
    }

    @Override
    public String tableExists() {
        return "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
    }

    @Override
    public String schemaExists() {
        return "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";
    }

    @Override
    public boolean versionsAreDatabases() {
        return true;
    }

    @Override
    public String registryLockTable() {
        return "layout";
    }

    /**
     * GET_LOCK has no shared mode and outlives the transaction, so the lock is the row of the coordinator's
     * one-row {@code layout} table: shared here, {@code FOR UPDATE} in contract and rollback.
     */
    @Override
    public String registryLock(String stateSchema) {
        return "SELECT version FROM " + ident(stateSchema) + "." + ident("layout") + " LOCK IN SHARE MODE";
    }

    @Override
    public String heartbeat(String instancesTable) {
        return "INSERT INTO " + instancesTable + " (instance_id, target_schema, version, host, started_at, last_seen)"
                + " VALUES (?, ?, ?, ?, COALESCE(?, NOW(6)), NOW(6)) ON DUPLICATE KEY UPDATE"
                + " target_schema = VALUES(target_schema), version = VALUES(version), host = VALUES(host),"
                + " started_at = VALUES(started_at), last_seen = VALUES(last_seen)";
    }

    /** Explicit defaults keep MariaDB from giving the first TIMESTAMP column ON UPDATE CURRENT_TIMESTAMP. */
    @Override
    public List<String> createInstancesTable(String stateSchema, String instancesTable) {
        return List.of("CREATE DATABASE IF NOT EXISTS " + ident(stateSchema) + " CHARACTER SET utf8mb4",
                "CREATE TABLE IF NOT EXISTS " + instancesTable + " (instance_id VARCHAR(255) NOT NULL PRIMARY KEY,"
                        + " target_schema VARCHAR(64) NOT NULL, version VARCHAR(255) NOT NULL,"
                        + " host VARCHAR(255) NOT NULL, started_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                        + " last_seen TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))");
    }

    @Override
    public String nullableText() {
        return "?";
    }
}
