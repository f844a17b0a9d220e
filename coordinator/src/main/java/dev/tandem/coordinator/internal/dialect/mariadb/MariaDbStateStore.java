package dev.tandem.coordinator.internal.dialect.mariadb;

import dev.tandem.coordinator.internal.dialect.Jdbc;
import dev.tandem.coordinator.internal.dialect.JdbcStateStore;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.state.BackfillRange;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * State tables in their own database (default {@code tandem}); runs serialized by a named lock
 * ({@code GET_LOCK}), which the server releases when the session ends.
 */
final class MariaDbStateStore extends JdbcStateStore {
    private static final String TEXT = "VARCHAR(255) NOT NULL";

    MariaDbStateStore(String database) {
        super(database);
    }

    @Override
    protected String ident(String name) {
        return MariaDbDialect.ident(name);
    }

    @Override
    protected String schemaNoun() {
        return "database";
    }

    @Override
    protected boolean tableExists(Connection c, String name) throws SQLException {
        return Jdbc.exists(c, "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
                stateSchema(), name);
    }

    /** DDL commits on its own here. */
    @Override
    protected boolean transactionalDdl() {
        return false;
    }

    /** Every statement is idempotent: two first runs may race. */
    @Override
    protected List<String> installStatements() {
        return List.of("CREATE DATABASE IF NOT EXISTS " + ident(stateSchema()) + " CHARACTER SET utf8mb4",
                "CREATE TABLE IF NOT EXISTS " + table("layout") + " (version INT NOT NULL PRIMARY KEY)",
                "CREATE TABLE IF NOT EXISTS " + table("migrations") + " (target_schema VARCHAR(64) NOT NULL,"
                        + " name " + TEXT + ", source TEXT NOT NULL, checksum " + TEXT + ", phase VARCHAR(32) NOT NULL,"
                        + " definition LONGTEXT NOT NULL, snapshot LONGTEXT NOT NULL, version_schema VARCHAR(64) NOT NULL,"
                        + " previous_version_schema VARCHAR(64), created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                        + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (target_schema, name))",
                "CREATE TABLE IF NOT EXISTS " + table("history") + " (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                        + " target_schema VARCHAR(64) NOT NULL, migration " + TEXT + ", event " + TEXT + ","
                        + " at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), detail TEXT)",
                "CREATE TABLE IF NOT EXISTS " + table("steps") + " (target_schema VARCHAR(64) NOT NULL,"
                        + " migration " + TEXT + ", step " + TEXT + ", done_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                        + " PRIMARY KEY (target_schema, migration, step))",
                "CREATE TABLE IF NOT EXISTS " + table("backfill_tables") + " (target_schema VARCHAR(64) NOT NULL,"
                        + " migration " + TEXT + ", table_name VARCHAR(64) NOT NULL, estimate BIGINT NOT NULL,"
                        + " planned_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                        + " PRIMARY KEY (target_schema, migration, table_name))",
                "CREATE TABLE IF NOT EXISTS " + table("backfill_ranges") + " (target_schema VARCHAR(64) NOT NULL,"
                        + " migration " + TEXT + ", table_name VARCHAR(64) NOT NULL, range_no INT NOT NULL, lower_key TEXT,"
                        + " upper_key TEXT, last_key TEXT, rows_done BIGINT NOT NULL DEFAULT 0,"
                        + " batches INT NOT NULL DEFAULT 0, paused_ms BIGINT NOT NULL DEFAULT 0,"
                        + " done BOOLEAN NOT NULL DEFAULT FALSE, owner VARCHAR(255), owner_connection BIGINT,"
                        + " expires_at TIMESTAMP(6) NULL DEFAULT NULL,"
                        + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                        + " PRIMARY KEY (target_schema, migration, table_name, range_no))",
                "INSERT IGNORE INTO " + table("layout") + " SELECT " + LAYOUT_VERSION + " FROM DUAL WHERE NOT EXISTS"
                        + " (SELECT 1 FROM " + table("layout") + ")");
    }

    /** Lock names are global to the server and at most 64 characters: the database names go in as a hash. */
    private String lockName(String targetSchema) {
        byte[] hash = Names.sha256((stateSchema() + "/" + targetSchema).getBytes(StandardCharsets.UTF_8));
        return "tandem/" + HexFormat.of().formatHex(hash).substring(0, 32);
    }

    /**
     * GET_LOCK has no shared mode: a backfill takes the run lock exclusively, so its workers run in this
     * process only, while another process's backfill waits like any other run.
     */
    @Override
    protected boolean tryLock(Connection c, String targetSchema, Duration wait, boolean shared) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            s.setString(1, lockName(targetSchema));
            s.setDouble(2, wait.toMillis() / 1000.0);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        }
    }

    @Override
    protected void unlock(Connection c, String targetSchema, boolean shared) throws SQLException {
        Jdbc.update(c, "DO RELEASE_LOCK(?)", lockName(targetSchema));
    }

    @Override
    protected String lockHolder(Connection c, String targetSchema) {
        try (PreparedStatement s = Jdbc.prepare(c, "SELECT ID, USER, HOST FROM information_schema.PROCESSLIST"
                + " WHERE ID = IS_USED_LOCK(?)", lockName(targetSchema)); ResultSet rows = s.executeQuery()) {
            return rows.next() ? " (connection " + rows.getLong(1) + " of " + rows.getString(2) + " from "
                    + rows.getString(3) + ")" : "";
        } catch (SQLException e) {
            return "";
        }
    }

    @Override
    protected String snapshotRead() {
        return "snapshot";
    }

    @Override
    protected String snapshotWrite() {
        return "?";
    }

    @Override
    protected String onConflict(String key, List<String> columns) {
        return " ON DUPLICATE KEY UPDATE "
                + columns.stream().map(c -> c + " = VALUES(" + c + ")").collect(Collectors.joining(", "));
    }

    @Override
    protected String insertIfAbsent(String into) {
        return "INSERT IGNORE INTO " + into;
    }

    @Override
    protected String now() {
        return "CURRENT_TIMESTAMP(6)";
    }

    @Override
    protected String clock() {
        return "NOW(6)";
    }

    @Override
    protected String millis() {
        return "INTERVAL ? * 1000 MICROSECOND";
    }

    @Override
    protected String leaseHeld(String range) {
        return "(" + range + ".owner_connection IS NOT NULL AND " + range + ".expires_at > NOW(6) AND EXISTS (SELECT 1"
                + " FROM information_schema.PROCESSLIST p WHERE p.ID = " + range + ".owner_connection))";
    }

    @Override
    protected String leaseHolder() {
        return "owner_connection = CONNECTION_ID()";
    }

    @Override
    protected String leaseReleased() {
        return "owner_connection = NULL, expires_at = NULL";
    }

    @Override
    protected String progressColumns() {
        return "t.table_name, t.estimate, COALESCE(SUM(r.rows_done), 0), COUNT(r.range_no) > 0 AND MIN(r.done) = 1,"
                + " GREATEST(t.planned_at, COALESCE(MAX(r.updated_at), t.planned_at)), COALESCE(SUM(r.paused_ms), 0),"
                + " COALESCE(SUM(r.done), 0), COUNT(r.range_no), COALESCE(SUM(NOT r.done AND " + leaseHeld("r")
                + "), 0)";
    }

    /**
     * MariaDB cannot update a table in a statement whose subquery reads it: the range is picked, locked, and
     * leased in one short transaction.
     */
    @Override
    public Optional<BackfillRange> claimRange(Connection c, String targetSchema, String name, String table,
                                              String owner, Duration lease) throws SQLException {
        return Jdbc.inTransaction(c, () -> {
            BackfillRange range;
            try (PreparedStatement s = Jdbc.prepare(c, claimable(RANGE_COLUMNS), targetSchema, name, table);
                 ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                range = range(table, r);
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE " + table("backfill_ranges") + " SET owner = ?,"
                    + " owner_connection = CONNECTION_ID(), expires_at = " + expiry() + ", updated_at = NOW(6)"
                    + " WHERE target_schema = ? AND migration = ? AND table_name = ? AND range_no = ?")) {
                s.setString(1, owner);
                s.setLong(2, lease.toMillis());
                s.setString(3, targetSchema);
                s.setString(4, name);
                s.setString(5, table);
                s.setInt(6, range.rangeNo());
                s.executeUpdate();
            }
            return Optional.of(range);
        });
    }

    /**
     * The dual-write library takes the row of {@code layout} in share mode while an instance checks the phase
     * and registers (GET_LOCK has no shared mode and outlives the transaction).
     */
    @Override
    public void lockInstanceRegistry(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT version FROM " + table("layout") + " FOR UPDATE").close();
        }
    }
}
