package dev.tandem.coordinator.dialect.mariadb;

import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.ident;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.BackfillRange;
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
import java.time.Duration;
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
    static final int LAYOUT_VERSION = 2;
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
            s.execute("CREATE TABLE IF NOT EXISTS " + t("backfill_tables") + " (target_schema VARCHAR(64) NOT NULL,"
                    + " migration " + TEXT + ", table_name VARCHAR(64) NOT NULL, estimate BIGINT NOT NULL,"
                    + " planned_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                    + " PRIMARY KEY (target_schema, migration, table_name))");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("backfill_ranges") + " (target_schema VARCHAR(64) NOT NULL,"
                    + " migration " + TEXT + ", table_name VARCHAR(64) NOT NULL, range_no INT NOT NULL, lower_key TEXT,"
                    + " upper_key TEXT, last_key TEXT, rows_done BIGINT NOT NULL DEFAULT 0,"
                    + " batches INT NOT NULL DEFAULT 0, paused_ms BIGINT NOT NULL DEFAULT 0,"
                    + " done BOOLEAN NOT NULL DEFAULT FALSE, owner VARCHAR(255), owner_connection BIGINT,"
                    + " expires_at TIMESTAMP(6) NULL DEFAULT NULL,"
                    + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                    + " PRIMARY KEY (target_schema, migration, table_name, range_no))");
            s.execute("INSERT IGNORE INTO " + t("layout") + " SELECT " + LAYOUT_VERSION + " FROM DUAL WHERE NOT EXISTS"
                    + " (SELECT 1 FROM " + t("layout") + ")");
            try (ResultSet rows = s.executeQuery("SELECT MAX(version) FROM " + t("layout"))) {
                rows.next();
                int version = rows.getInt(1);
                if (version == 1) {
                    // layout 1 kept one checkpoint per table; a backfill it had begun starts over, skipping
                    // the rows it filled (a batch only fills target columns that are still NULL)
                    s.execute("DROP TABLE IF EXISTS " + t("backfill"));
                    s.execute("UPDATE " + t("layout") + " SET version = " + LAYOUT_VERSION + " WHERE version = 1");
                } else if (version > LAYOUT_VERSION) {
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

    /**
     * GET_LOCK has no shared mode: a backfill takes the run lock exclusively, so its workers run in this
     * process only, while another process's backfill waits like any other run.
     */
    @Override
    public AutoCloseable sharedLock(Connection c, String targetSchema, Duration wait) throws SQLException {
        return lock(c, targetSchema, wait);
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
        update(c, "DELETE FROM " + t("backfill_ranges") + " WHERE target_schema = ? AND migration = ?", targetSchema,
                name);
        update(c, "DELETE FROM " + t("backfill_tables") + " WHERE target_schema = ? AND migration = ?", targetSchema,
                name);
    }

    @Override
    public List<BackfillProgress> backfill(Connection c, String targetSchema, String name) throws SQLException {
        String sql = "SELECT t.table_name, t.estimate, COALESCE(SUM(r.rows_done), 0), COUNT(r.range_no) > 0"
                + " AND MIN(r.done) = 1, GREATEST(t.planned_at, COALESCE(MAX(r.updated_at), t.planned_at)),"
                + " COALESCE(SUM(r.paused_ms), 0), COALESCE(SUM(r.done), 0), COUNT(r.range_no),"
                + " COALESCE(SUM(NOT r.done AND " + leaseHeld("r") + "), 0) FROM " + t("backfill_tables") + " t"
                + " LEFT JOIN " + t("backfill_ranges") + " r USING (target_schema, migration, table_name)"
                + " WHERE t.target_schema = ? AND t.migration = ? GROUP BY t.table_name, t.estimate, t.planned_at"
                + " ORDER BY t.table_name";
        List<BackfillProgress> progress = new ArrayList<>();
        try (PreparedStatement s = prepare(c, sql, targetSchema, name); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                progress.add(new BackfillProgress(r.getString(1), null, r.getLong(3), r.getLong(2), r.getBoolean(4),
                        r.getTimestamp(5).toInstant(), r.getLong(6), r.getInt(7), r.getInt(8), r.getInt(9)));
            }
        }
        return progress;
    }

    /** A lease counts while it has not expired and the connection that took it is still open. */
    private static String leaseHeld(String range) {
        return "(" + range + ".owner_connection IS NOT NULL AND " + range + ".expires_at > NOW(6) AND EXISTS (SELECT 1"
                + " FROM information_schema.PROCESSLIST p WHERE p.ID = " + range + ".owner_connection))";
    }

    @Override
    public boolean backfillPlanned(Connection c, String targetSchema, String name, String table) throws SQLException {
        try (PreparedStatement s = prepare(c, "SELECT 1 FROM " + t("backfill_tables")
                + " WHERE target_schema = ? AND migration = ? AND table_name = ?", targetSchema, name, table);
             ResultSet r = s.executeQuery()) {
            return r.next();
        }
    }

    @Override
    public void planBackfill(Connection c, String targetSchema, String name, String table, long estimate,
                             List<String> boundaries) throws SQLException {
        inTransaction(c, () -> {
            int planned;
            try (PreparedStatement s = prepare(c, "INSERT IGNORE INTO " + t("backfill_tables") + " (target_schema,"
                    + " migration, table_name, estimate) VALUES (?, ?, ?, ?)", targetSchema, name, table)) {
                s.setLong(4, estimate);
                planned = s.executeUpdate();
            }
            if (planned == 1) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO " + t("backfill_ranges")
                        + " (target_schema, migration, table_name, range_no, lower_key, upper_key)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i <= boundaries.size(); i++) {
                        s.setString(1, targetSchema);
                        s.setString(2, name);
                        s.setString(3, table);
                        s.setInt(4, i);
                        s.setString(5, i == 0 ? null : boundaries.get(i - 1));
                        s.setString(6, i == boundaries.size() ? null : boundaries.get(i));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            return null;
        });
    }

    /**
     * MariaDB cannot update a table in a statement whose subquery reads it: the range is picked, locked, and
     * leased in one short transaction.
     */
    @Override
    public Optional<BackfillRange> claimRange(Connection c, String targetSchema, String name, String table,
                                              String owner, Duration lease) throws SQLException {
        // a lease held by this very connection is stale: a connection runs one worker, which is asking again
        String pick = "SELECT range_no, lower_key, upper_key, last_key, rows_done, batches, paused_ms FROM "
                + t("backfill_ranges") + " r WHERE target_schema = ? AND migration = ? AND table_name = ? AND NOT done"
                + " AND (r.owner_connection = CONNECTION_ID() OR NOT " + leaseHeld("r") + ")"
                + " ORDER BY range_no LIMIT 1 FOR UPDATE SKIP LOCKED";
        return inTransaction(c, () -> {
            BackfillRange range;
            try (PreparedStatement s = prepare(c, pick, targetSchema, name, table); ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                range = new BackfillRange(table, r.getInt(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getLong(5), r.getInt(6), r.getLong(7), false);
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE " + t("backfill_ranges") + " SET owner = ?,"
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

    @Override
    public boolean checkpoint(Connection c, String targetSchema, String name, BackfillRange range, String owner,
                              Duration lease) throws SQLException {
        String sql = "UPDATE " + t("backfill_ranges") + " SET last_key = ?, rows_done = ?, batches = ?, paused_ms = ?,"
                + " done = ?, expires_at = " + expiry() + ", updated_at = NOW(6)" + whereLeased();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, range.lastKey());
            s.setLong(2, range.rowsDone());
            s.setInt(3, range.batches());
            s.setLong(4, range.pausedMillis());
            s.setBoolean(5, range.done());
            s.setLong(6, lease.toMillis());
            bindLeased(s, 7, targetSchema, name, range, owner);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public boolean renewLease(Connection c, String targetSchema, String name, BackfillRange range, String owner,
                              Duration lease) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + t("backfill_ranges") + " SET paused_ms = ?,"
                + " expires_at = " + expiry() + whereLeased())) {
            s.setLong(1, range.pausedMillis());
            s.setLong(2, lease.toMillis());
            bindLeased(s, 3, targetSchema, name, range, owner);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public void releaseRange(Connection c, String targetSchema, String name, BackfillRange range, String owner)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + t("backfill_ranges") + " SET owner_connection = NULL,"
                + " expires_at = NULL" + whereLeased())) {
            bindLeased(s, 1, targetSchema, name, range, owner);
            s.executeUpdate();
        }
    }

    @Override
    public int rangesLeft(Connection c, String targetSchema, String name, String table) throws SQLException {
        try (PreparedStatement s = prepare(c, "SELECT COUNT(*) FROM " + t("backfill_ranges")
                + " WHERE target_schema = ? AND migration = ? AND table_name = ? AND NOT done", targetSchema, name, table);
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    /** The lease's end; parameter: its length in milliseconds. */
    private static String expiry() {
        return "NOW(6) + INTERVAL ? * 1000 MICROSECOND";
    }

    private static String whereLeased() {
        return " WHERE target_schema = ? AND migration = ? AND table_name = ? AND range_no = ? AND owner = ?"
                + " AND owner_connection = CONNECTION_ID()";
    }

    private static void bindLeased(PreparedStatement s, int first, String targetSchema, String name,
                                   BackfillRange range, String owner) throws SQLException {
        s.setString(first, targetSchema);
        s.setString(first + 1, name);
        s.setString(first + 2, range.table());
        s.setInt(first + 3, range.rangeNo());
        s.setString(first + 4, owner);
    }

    private interface TransactionWork<T> {
        T run() throws SQLException;
    }

    private static <T> T inTransaction(Connection c, TransactionWork<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * The dual-write library takes the row of {@code layout} in share mode while an instance checks the phase
     * and registers (GET_LOCK has no shared mode and outlives the transaction).
     */
    @Override
    public void lockInstanceRegistry(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT version FROM " + t("layout") + " FOR UPDATE").close();
        }
    }

    /** The dual-write library's {@code PhaseGuard} creates the registry; until then no instance is live. */
    @Override
    public List<LiveInstance> liveInstances(Connection c, String targetSchema, Duration seenWithin)
            throws SQLException {
        try (PreparedStatement s = prepare(c, "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = 'instances'", database); ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return List.of();
            }
        }
        try (PreparedStatement s = prepare(c, "SELECT instance_id, version, host, started_at, last_seen FROM "
                + t("instances") + " WHERE target_schema = ? AND last_seen > NOW(6) - INTERVAL ? * 1000 MICROSECOND"
                + " ORDER BY version, host, instance_id", targetSchema)) {
            s.setLong(2, seenWithin.toMillis());
            return LiveInstance.read(s);
        }
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
