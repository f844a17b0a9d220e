package dev.tandem.dualwrite.internal;

import java.util.List;

/** Tandem's state in a PostgreSQL schema; versions are schemas of views put on the search_path. */
final class PostgresStateSql implements StateSql {
    static final PostgresStateSql INSTANCE = new PostgresStateSql();
    /** The first key of the coordinator's advisory locks ('tand'). */
    private static final int LOCK_CLASS = 0x74616e64;

    private PostgresStateSql() {
    }

    @Override
    public String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public String tableExists() {
        return "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?";
    }

    @Override
    public String schemaExists() {
        return "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?";
    }

    @Override
    public boolean versionsAreDatabases() {
        return false;
    }

    @Override
    public String registryLockTable() {
        return null;
    }

    /** The coordinator's contract and rollback take the same advisory lock exclusively. */
    @Override
    public String registryLock(String stateSchema) {
        return "SELECT pg_advisory_xact_lock_shared(" + LOCK_CLASS + ", 1)";
    }

    @Override
    public String heartbeat(String instancesTable) {
        return "INSERT INTO " + instancesTable + " (instance_id, target_schema, version, host, started_at, last_seen)"
                + " VALUES (?, ?, ?, ?, coalesce(?, now()), clock_timestamp()) ON CONFLICT (instance_id) DO UPDATE"
                + " SET target_schema = excluded.target_schema, version = excluded.version, host = excluded.host,"
                + " started_at = excluded.started_at, last_seen = excluded.last_seen";
    }

    /** The coordinator's install takes the same transaction lock, so both never create tables at once. */
    @Override
    public List<String> createInstancesTable(String stateSchema, String instancesTable) {
        return List.of("SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", 0)",
                "CREATE SCHEMA IF NOT EXISTS " + ident(stateSchema),
                "CREATE TABLE IF NOT EXISTS " + instancesTable + " (instance_id text PRIMARY KEY,"
                        + " target_schema text NOT NULL, version text NOT NULL, host text NOT NULL,"
                        + " started_at timestamptz NOT NULL, last_seen timestamptz NOT NULL)");
    }

    @Override
    public String nullableText() {
        return "?::text";
    }
}
