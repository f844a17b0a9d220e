package dev.tandem.coordinator.dialect.mariadb;

import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.ident;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.HistoryEntry;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.coordinator.state.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * State tables in their own database (default {@code tandem}); runs serialized by a named lock
 * ({@code GET_LOCK}), which the server releases when the session ends.
 */
final class MariaDbStateStore implements StateStore {
    /** The layout version this code writes; a database with a higher one was written by a newer Tandem. */
    static final int LAYOUT_VERSION = 1;
    private static final String TEXT = "VARCHAR(255) NOT NULL";

    private final String database;

    MariaDbStateStore(String database) {
        this.database = database;
    }

    private String t(String table) {
        return ident(database) + "." + ident(table);
    }

    @Override
    public boolean installed(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'migrations'")) {
            s.setString(1, database);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Every statement is idempotent: DDL commits on its own here, and two first runs may race. */
    @Override
    public void install(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + ident(database) + " CHARACTER SET utf8mb4");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("layout") + " (version INT NOT NULL PRIMARY KEY)");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("migrations") + " (target_schema VARCHAR(64) NOT NULL,"
                    + " name " + TEXT + ", source TEXT NOT NULL, checksum " + TEXT + ", phase VARCHAR(32) NOT NULL,"
                    + " definition LONGTEXT NOT NULL, snapshot LONGTEXT NOT NULL, version_schema VARCHAR(64) NOT NULL,"
                    + " previous_version_schema VARCHAR(64), created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                    + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (target_schema, name))");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("history") + " (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " target_schema VARCHAR(64) NOT NULL, migration " + TEXT + ", event " + TEXT + ","
                    + " at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), detail TEXT)");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("steps") + " (target_schema VARCHAR(64) NOT NULL,"
                    + " migration " + TEXT + ", step " + TEXT + ", done_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                    + " PRIMARY KEY (target_schema, migration, step))");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("backfill") + " (target_schema VARCHAR(64) NOT NULL,"
                    + " migration " + TEXT + ", table_name VARCHAR(64) NOT NULL, last_key TEXT, rows_done BIGINT NOT NULL,"
                    + " estimate BIGINT NOT NULL, done BOOLEAN NOT NULL, updated_at TIMESTAMP(6) NOT NULL,"
                    + " PRIMARY KEY (target_schema, migration, table_name))");
            s.execute("INSERT IGNORE INTO " + t("layout") + " SELECT " + LAYOUT_VERSION + " FROM DUAL WHERE NOT EXISTS"
                    + " (SELECT 1 FROM " + t("layout") + ")");
            try (ResultSet rows = s.executeQuery("SELECT MAX(version) FROM " + t("layout"))) {
                rows.next();
                int version = rows.getInt(1);
                if (version > LAYOUT_VERSION) {
                    throw new StateConflictException("the state database '" + database + "' was written by a newer "
                            + "Tandem (layout " + version + ", this one knows " + LAYOUT_VERSION + "); upgrade Tandem");
                }
            }
        }
    }

    /** Lock names are global to the server and at most 64 characters: the database names go in as a hash. */
    private String lockName(String targetSchema) {
        byte[] hash = dev.tandem.coordinator.schema.Names.sha256((database + "/" + targetSchema)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "tandem/" + HexFormat.of().formatHex(hash).substring(0, 32);
    }

    @Override
    public AutoCloseable lock(Connection c, String targetSchema, Duration wait) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            s.setString(1, lockName(targetSchema));
            s.setDouble(2, wait.toMillis() / 1000.0);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                if (rows.getInt(1) == 1) {
                    return () -> unlock(c, targetSchema);
                }
            }
        }
        throw new StateConflictException("another Tandem run holds the lock on database '" + targetSchema + "'"
                + holder(c, targetSchema) + "; waited " + wait.toMillis() + " ms. Wait for it to finish, or raise "
                + "--lock-wait");
    }

    private void unlock(Connection c, String targetSchema) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DO RELEASE_LOCK(?)")) {
            s.setString(1, lockName(targetSchema));
            s.execute();
        }
    }

    private String holder(Connection c, String targetSchema) {
        try (PreparedStatement s = c.prepareStatement("SELECT ID, USER, HOST FROM information_schema.PROCESSLIST"
                + " WHERE ID = IS_USED_LOCK(?)")) {
            s.setString(1, lockName(targetSchema));
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? " (connection " + rows.getLong(1) + " of " + rows.getString(2) + " from "
                        + rows.getString(3) + ")" : "";
            }
        } catch (SQLException e) {
            return "";
        }
    }

    @Override
    public Optional<MigrationRecord> find(Connection c, String targetSchema, String name) throws SQLException {
        return select(c, "WHERE target_schema = ? AND name = ?", targetSchema, name).stream().findFirst();
    }

    @Override
    public List<MigrationRecord> all(Connection c, String targetSchema) throws SQLException {
        return select(c, "WHERE target_schema = ? ORDER BY created_at, name", targetSchema);
    }

    private List<MigrationRecord> select(Connection c, String where, String... args) throws SQLException {
        String sql = "SELECT target_schema, name, source, checksum, phase, definition, snapshot, version_schema,"
                + " previous_version_schema, created_at, updated_at FROM " + t("migrations") + " " + where;
        List<MigrationRecord> records = new ArrayList<>();
        try (PreparedStatement s = prepare(c, sql, args); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                records.add(new MigrationRecord(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        Phase.of(r.getString(5)), r.getString(6), r.getString(7), r.getString(8), r.getString(9),
                        r.getTimestamp(10).toInstant(), r.getTimestamp(11).toInstant()));
            }
        }
        return records;
    }

    @Override
    public void save(Connection c, MigrationRecord m, String event, String detail) throws SQLException {
        update(c, "INSERT INTO " + t("migrations") + " (target_schema, name, source, checksum, phase, definition,"
                        + " snapshot, version_schema, previous_version_schema) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE source = VALUES(source), checksum = VALUES(checksum),"
                        + " phase = VALUES(phase), definition = VALUES(definition), snapshot = VALUES(snapshot),"
                        + " version_schema = VALUES(version_schema),"
                        + " previous_version_schema = VALUES(previous_version_schema),"
                        + " created_at = CURRENT_TIMESTAMP(6), updated_at = CURRENT_TIMESTAMP(6)",
                m.targetSchema(), m.name(), m.source(), m.checksum(), m.phase().label(), m.definition(), m.snapshot(),
                m.versionSchema(), m.previousVersionSchema());
        addHistory(c, m.targetSchema(), m.name(), event, detail);
    }

    @Override
    public void delete(Connection c, String targetSchema, String name) throws SQLException {
        clearProgress(c, targetSchema, name);
        update(c, "DELETE FROM " + t("migrations") + " WHERE target_schema = ? AND name = ?", targetSchema, name);
        update(c, "DELETE FROM " + t("history") + " WHERE target_schema = ? AND migration = ?", targetSchema, name);
    }

    @Override
    public void setPhase(Connection c, String targetSchema, String name, Phase phase, String event, String detail)
            throws SQLException {
        update(c, "UPDATE " + t("migrations") + " SET phase = ?, updated_at = CURRENT_TIMESTAMP(6)"
                + " WHERE target_schema = ? AND name = ?", phase.label(), targetSchema, name);
        addHistory(c, targetSchema, name, event, detail);
    }

    private void addHistory(Connection c, String targetSchema, String name, String event, String detail)
            throws SQLException {
        update(c, "INSERT INTO " + t("history") + " (target_schema, migration, event, detail) VALUES (?, ?, ?, ?)",
                targetSchema, name, event, detail);
    }

    @Override
    public List<HistoryEntry> history(Connection c, String targetSchema, String name) throws SQLException {
        List<HistoryEntry> entries = new ArrayList<>();
        try (PreparedStatement s = prepare(c, "SELECT migration, event, at, detail FROM " + t("history")
                + " WHERE target_schema = ? AND migration = ? ORDER BY id", targetSchema, name);
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                entries.add(new HistoryEntry(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(),
                        r.getString(4)));
            }
        }
        return entries;
    }

    @Override
    public boolean stepDone(Connection c, String targetSchema, String name, String step) throws SQLException {
        try (PreparedStatement s = prepare(c, "SELECT 1 FROM " + t("steps")
                + " WHERE target_schema = ? AND migration = ? AND step = ?", targetSchema, name, step);
             ResultSet r = s.executeQuery()) {
            return r.next();
        }
    }

    @Override
    public void markStep(Connection c, String targetSchema, String name, String step) throws SQLException {
        update(c, "INSERT IGNORE INTO " + t("steps") + " (target_schema, migration, step) VALUES (?, ?, ?)",
                targetSchema, name, step);
    }

    @Override
    public void clearProgress(Connection c, String targetSchema, String name) throws SQLException {
        update(c, "DELETE FROM " + t("steps") + " WHERE target_schema = ? AND migration = ?", targetSchema, name);
        update(c, "DELETE FROM " + t("backfill") + " WHERE target_schema = ? AND migration = ?", targetSchema, name);
    }

    @Override
    public List<BackfillProgress> backfill(Connection c, String targetSchema, String name) throws SQLException {
        List<BackfillProgress> progress = new ArrayList<>();
        try (PreparedStatement s = prepare(c, "SELECT table_name, last_key, rows_done, estimate, done, updated_at FROM "
                + t("backfill") + " WHERE target_schema = ? AND migration = ? ORDER BY table_name", targetSchema, name);
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                progress.add(new BackfillProgress(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4),
                        r.getBoolean(5), r.getTimestamp(6).toInstant()));
            }
        }
        return progress;
    }

    @Override
    public void saveBackfill(Connection c, String targetSchema, String name, BackfillProgress p) throws SQLException {
        String sql = "INSERT INTO " + t("backfill") + " (target_schema, migration, table_name, last_key, rows_done,"
                + " estimate, done, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                + " last_key = VALUES(last_key), rows_done = VALUES(rows_done), estimate = VALUES(estimate),"
                + " done = VALUES(done), updated_at = VALUES(updated_at)";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, targetSchema);
            s.setString(2, name);
            s.setString(3, p.table());
            s.setString(4, p.lastKey());
            s.setLong(5, p.rowsDone());
            s.setLong(6, p.estimate());
            s.setBoolean(7, p.done());
            s.setTimestamp(8, Timestamp.from(p.updatedAt() == null ? Instant.now() : p.updatedAt()));
            s.executeUpdate();
        }
    }

    /** The instance registry of the dual-write library is PostgreSQL's only: no instance registers here. */
    @Override
    public void lockInstanceRegistry(Connection c) {
        // nothing registers, so there is nothing to keep out
    }

    /** Always empty: see {@link #lockInstanceRegistry}; contract cannot see live old-version instances here. */
    @Override
    public List<LiveInstance> liveInstances(Connection c, String targetSchema, Duration seenWithin) {
        return List.of();
    }

    private static PreparedStatement prepare(Connection c, String sql, String... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setString(i + 1, args[i]);
        }
        return s;
    }

    private static void update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, args)) {
            s.executeUpdate();
        }
    }
}
