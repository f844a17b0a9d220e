package dev.tandem.coordinator.dialect.postgres;

import static dev.tandem.coordinator.sql.Quoting.ident;

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
import java.util.List;
import java.util.Optional;

/** State tables in their own PostgreSQL schema; runs serialized by a session advisory lock. */
public final class PostgresStateStore implements StateStore {
    /** The layout version this code writes; a database with a higher one was written by a newer Tandem. */
    static final int LAYOUT_VERSION = 2;
    /**
     * First key of Tandem's advisory locks ('tand'). The second is 0 for install, 1 for the instance registry,
     * and a hash of the schema's name for runs.
     */
    static final int LOCK_CLASS = 0x74616e64;

    private final String schema;

    public PostgresStateStore(String schema) {
        this.schema = schema;
    }

    private String t(String table) {
        return ident(schema) + "." + ident(table);
    }

    @Override
    public boolean installed(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, t("migrations"));
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    @Override
    public void install(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", 0)");
            s.execute("CREATE SCHEMA IF NOT EXISTS " + ident(schema));
            s.execute("CREATE TABLE IF NOT EXISTS " + t("layout") + " (version int NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("migrations") + " ("
                    + "target_schema text NOT NULL, name text NOT NULL, source text NOT NULL, checksum text NOT NULL,"
                    + " phase text NOT NULL, definition text NOT NULL, snapshot jsonb NOT NULL,"
                    + " version_schema text NOT NULL, previous_version_schema text,"
                    + " created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (target_schema, name))");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("history") + " (id bigserial PRIMARY KEY,"
                    + " target_schema text NOT NULL, migration text NOT NULL, event text NOT NULL,"
                    + " at timestamptz NOT NULL DEFAULT clock_timestamp(), detail text)");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("steps") + " (target_schema text NOT NULL,"
                    + " migration text NOT NULL, step text NOT NULL, done_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                    + " PRIMARY KEY (target_schema, migration, step))");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("backfill_tables") + " (target_schema text NOT NULL,"
                    + " migration text NOT NULL, table_name text NOT NULL, estimate bigint NOT NULL,"
                    + " planned_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                    + " PRIMARY KEY (target_schema, migration, table_name))");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("backfill_ranges") + " (target_schema text NOT NULL,"
                    + " migration text NOT NULL, table_name text NOT NULL, range_no int NOT NULL, lower_key text,"
                    + " upper_key text, last_key text, rows_done bigint NOT NULL DEFAULT 0,"
                    + " batches int NOT NULL DEFAULT 0, paused_ms bigint NOT NULL DEFAULT 0,"
                    + " done boolean NOT NULL DEFAULT false, owner text, owner_pid int, owner_started timestamptz,"
                    + " expires_at timestamptz, updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                    + " PRIMARY KEY (target_schema, migration, table_name, range_no))");
            try (ResultSet rows = s.executeQuery("SELECT max(version) FROM " + t("layout"))) {
                rows.next();
                int version = rows.getInt(1);
                if (rows.wasNull()) {
                    s.execute("INSERT INTO " + t("layout") + " VALUES (" + LAYOUT_VERSION + ")");
                } else if (version == 1) {
                    // layout 1 kept one checkpoint per table; a backfill it had begun starts over, skipping
                    // the rows it filled (a batch only fills target columns that are still NULL)
                    s.execute("DROP TABLE IF EXISTS " + t("backfill"));
                    s.execute("UPDATE " + t("layout") + " SET version = " + LAYOUT_VERSION);
                } else if (version > LAYOUT_VERSION) {
                    c.rollback();
                    throw new StateConflictException("the state schema '" + schema + "' was written by a newer "
                            + "Tandem (layout " + version + ", this one knows " + LAYOUT_VERSION + "); upgrade Tandem");
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    @Override
    public AutoCloseable lock(Connection c, String targetSchema, Duration wait) throws SQLException {
        return lock(c, targetSchema, wait, "");
    }

    @Override
    public AutoCloseable sharedLock(Connection c, String targetSchema, Duration wait) throws SQLException {
        return lock(c, targetSchema, wait, "_shared");
    }

    /** @param mode "" for the exclusive lock, "_shared" for the shared one (suffix of the lock functions) */
    private AutoCloseable lock(Connection c, String targetSchema, Duration wait, String mode) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock" + mode + "(?, hashtext(?))")) {
                s.setInt(1, LOCK_CLASS);
                s.setString(2, schema + "/" + targetSchema);
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        return () -> unlock(c, targetSchema, mode);
                    }
                }
            }
            if (System.nanoTime() >= deadline) {
                throw new StateConflictException("another Tandem run holds the lock on schema '" + targetSchema
                        + "'" + holder(c, targetSchema) + "; waited " + wait.toMillis() + " ms. Wait for it to "
                        + "finish, or raise --lock-wait");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateConflictException("interrupted while waiting for the Tandem run lock");
            }
        }
    }

    private void unlock(Connection c, String targetSchema, String mode) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock" + mode + "(?, hashtext(?))")) {
            s.setInt(1, LOCK_CLASS);
            s.setString(2, schema + "/" + targetSchema);
            s.execute();
        }
    }

    /** Advisory locks are per database; pg_locks shows the second key, a signed hash, as an unsigned oid. */
    private String holder(Connection c, String targetSchema) throws SQLException {
        String sql = "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.client_addr::text, 'local') "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND l.granted AND l.classid = ?::bigint::oid AND l.objid = (hashtext(?)::bigint & 4294967295)::oid";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, LOCK_CLASS);
            s.setString(2, schema + "/" + targetSchema);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? " (pid " + rows.getInt(1) + ", application '" + rows.getString(2) + "', from "
                        + rows.getString(3) + ")" : "";
            }
        } catch (SQLException e) {
            return "";
        }
    }

    @Override
    public Optional<MigrationRecord> find(Connection c, String targetSchema, String name) throws SQLException {
        List<MigrationRecord> found = select(c, "WHERE target_schema = ? AND name = ?", targetSchema, name);
        return found.stream().findFirst();
    }

    @Override
    public List<MigrationRecord> all(Connection c, String targetSchema) throws SQLException {
        return select(c, "WHERE target_schema = ? ORDER BY created_at, name", targetSchema);
    }

    private List<MigrationRecord> select(Connection c, String where, String... args) throws SQLException {
        String sql = "SELECT target_schema, name, source, checksum, phase, definition, snapshot::text, version_schema,"
                + " previous_version_schema, created_at, updated_at FROM " + t("migrations") + " " + where;
        List<MigrationRecord> records = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    records.add(new MigrationRecord(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            Phase.of(r.getString(5)), r.getString(6), r.getString(7), r.getString(8), r.getString(9),
                            r.getTimestamp(10).toInstant(), r.getTimestamp(11).toInstant()));
                }
            }
        }
        return records;
    }

    @Override
    public void save(Connection c, MigrationRecord m, String event, String detail) throws SQLException {
        String sql = "INSERT INTO " + t("migrations") + " (target_schema, name, source, checksum, phase, definition,"
                + " snapshot, version_schema, previous_version_schema) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)"
                + " ON CONFLICT (target_schema, name) DO UPDATE SET source = excluded.source,"
                + " checksum = excluded.checksum, phase = excluded.phase, definition = excluded.definition,"
                + " snapshot = excluded.snapshot, version_schema = excluded.version_schema,"
                + " previous_version_schema = excluded.previous_version_schema, created_at = now(), updated_at = now()";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, m.targetSchema());
            s.setString(2, m.name());
            s.setString(3, m.source());
            s.setString(4, m.checksum());
            s.setString(5, m.phase().label());
            s.setString(6, m.definition());
            s.setString(7, m.snapshot());
            s.setString(8, m.versionSchema());
            s.setString(9, m.previousVersionSchema());
            s.executeUpdate();
        }
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
        update(c, "UPDATE " + t("migrations") + " SET phase = ?, updated_at = now() WHERE target_schema = ? AND name = ?",
                phase.label(), targetSchema, name);
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
        try (PreparedStatement s = c.prepareStatement("SELECT migration, event, at, detail FROM " + t("history")
                + " WHERE target_schema = ? AND migration = ? ORDER BY id")) {
            s.setString(1, targetSchema);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    entries.add(new HistoryEntry(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(),
                            r.getString(4)));
                }
            }
        }
        return entries;
    }

    @Override
    public boolean stepDone(Connection c, String targetSchema, String name, String step) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM " + t("steps")
                + " WHERE target_schema = ? AND migration = ? AND step = ?")) {
            s.setString(1, targetSchema);
            s.setString(2, name);
            s.setString(3, step);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    @Override
    public void markStep(Connection c, String targetSchema, String name, String step) throws SQLException {
        update(c, "INSERT INTO " + t("steps") + " (target_schema, migration, step) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING", targetSchema, name, step);
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
        String sql = "SELECT t.table_name, t.estimate, coalesce(sum(r.rows_done), 0), count(r.range_no) > 0"
                + " AND bool_and(r.done), greatest(t.planned_at, max(r.updated_at)), coalesce(sum(r.paused_ms), 0),"
                + " count(r.range_no) FILTER (WHERE r.done), count(r.range_no), count(r.range_no) FILTER (WHERE NOT"
                + " r.done AND " + leaseHeld("r") + ") FROM " + t("backfill_tables") + " t LEFT JOIN "
                + t("backfill_ranges") + " r USING (target_schema, migration, table_name)"
                + " WHERE t.target_schema = ? AND t.migration = ? GROUP BY t.table_name, t.estimate, t.planned_at"
                + " ORDER BY t.table_name";
        List<BackfillProgress> progress = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, targetSchema);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    progress.add(new BackfillProgress(r.getString(1), null, r.getLong(3), r.getLong(2),
                            r.getBoolean(4), r.getTimestamp(5).toInstant(), r.getLong(6), r.getInt(7), r.getInt(8),
                            r.getInt(9)));
                }
            }
        }
        return progress;
    }

    /** A lease counts while it has not expired and the session that took it is still connected. */
    private static String leaseHeld(String range) {
        return range + ".owner_pid IS NOT NULL AND " + range + ".expires_at > clock_timestamp() AND EXISTS (SELECT 1"
                + " FROM pg_stat_activity a WHERE a.pid = " + range + ".owner_pid AND a.backend_start = " + range
                + ".owner_started)";
    }

    @Override
    public boolean backfillPlanned(Connection c, String targetSchema, String name, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM " + t("backfill_tables")
                + " WHERE target_schema = ? AND migration = ? AND table_name = ?")) {
            bind(s, targetSchema, name, table);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    @Override
    public void planBackfill(Connection c, String targetSchema, String name, String table, long estimate,
                             List<String> boundaries) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int planned;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + t("backfill_tables") + " (target_schema,"
                    + " migration, table_name, estimate) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                bind(s, targetSchema, name, table);
                s.setLong(4, estimate);
                planned = s.executeUpdate();
            }
            if (planned == 1) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO " + t("backfill_ranges")
                        + " (target_schema, migration, table_name, range_no, lower_key, upper_key) VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i <= boundaries.size(); i++) {
                        bind(s, targetSchema, name, table);
                        s.setInt(4, i);
                        s.setString(5, i == 0 ? null : boundaries.get(i - 1));
                        s.setString(6, i == boundaries.size() ? null : boundaries.get(i));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    @Override
    public Optional<BackfillRange> claimRange(Connection c, String targetSchema, String name, String table,
                                              String owner, Duration lease) throws SQLException {
        // a lease held by this very session is stale: a session runs one worker, which is asking again
        String sql = "UPDATE " + t("backfill_ranges") + " SET owner = ?, owner_pid = pg_backend_pid(), owner_started ="
                + " (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()), expires_at ="
                + " clock_timestamp() + ? * interval '1 millisecond', updated_at = clock_timestamp()"
                + " WHERE (target_schema, migration, table_name, range_no) = (SELECT target_schema, migration,"
                + " table_name, range_no FROM " + t("backfill_ranges") + " r WHERE target_schema = ? AND migration = ?"
                + " AND table_name = ? AND NOT done AND (r.owner_pid = pg_backend_pid() OR NOT (" + leaseHeld("r")
                + ")) ORDER BY range_no LIMIT 1 FOR UPDATE SKIP LOCKED)"
                + " RETURNING range_no, lower_key, upper_key, last_key, rows_done, batches, paused_ms";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, owner);
            s.setLong(2, lease.toMillis());
            s.setString(3, targetSchema);
            s.setString(4, name);
            s.setString(5, table);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new BackfillRange(table, r.getInt(1), r.getString(2), r.getString(3),
                        r.getString(4), r.getLong(5), r.getInt(6), r.getLong(7), false));
            }
        }
    }

    @Override
    public boolean checkpoint(Connection c, String targetSchema, String name, BackfillRange range, String owner,
                              Duration lease) throws SQLException {
        String sql = "UPDATE " + t("backfill_ranges") + " SET last_key = ?, rows_done = ?, batches = ?, paused_ms = ?,"
                + " done = ?, expires_at = clock_timestamp() + ? * interval '1 millisecond',"
                + " updated_at = clock_timestamp()" + whereLeased();
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
                + " expires_at = clock_timestamp() + ? * interval '1 millisecond'" + whereLeased())) {
            s.setLong(1, range.pausedMillis());
            s.setLong(2, lease.toMillis());
            bindLeased(s, 3, targetSchema, name, range, owner);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public void releaseRange(Connection c, String targetSchema, String name, BackfillRange range, String owner)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + t("backfill_ranges") + " SET owner_pid = NULL,"
                + " owner_started = NULL, expires_at = NULL" + whereLeased())) {
            bindLeased(s, 1, targetSchema, name, range, owner);
            s.executeUpdate();
        }
    }

    private static String whereLeased() {
        return " WHERE target_schema = ? AND migration = ? AND table_name = ? AND range_no = ? AND owner = ?"
                + " AND owner_pid = pg_backend_pid()";
    }

    private static void bindLeased(PreparedStatement s, int first, String targetSchema, String name,
                                   BackfillRange range, String owner) throws SQLException {
        s.setString(first, targetSchema);
        s.setString(first + 1, name);
        s.setString(first + 2, range.table());
        s.setInt(first + 3, range.rangeNo());
        s.setString(first + 4, owner);
    }

    @Override
    public int rangesLeft(Connection c, String targetSchema, String name, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + t("backfill_ranges")
                + " WHERE target_schema = ? AND migration = ? AND table_name = ? AND NOT done")) {
            bind(s, targetSchema, name, table);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static void bind(PreparedStatement s, String... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setString(i + 1, args[i]);
        }
    }

    @Override
    public void lockInstanceRegistry(Connection c) throws SQLException {
        new PostgresInstances(schema).lock(c);
    }

    @Override
    public List<LiveInstance> liveInstances(Connection c, String targetSchema, Duration seenWithin)
            throws SQLException {
        return new PostgresInstances(schema).live(c, targetSchema, seenWithin);
    }

    private static void update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            s.executeUpdate();
        }
    }
}
