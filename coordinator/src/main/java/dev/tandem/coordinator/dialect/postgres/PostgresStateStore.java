package dev.tandem.coordinator.dialect.postgres;

import static dev.tandem.coordinator.sql.Quoting.ident;

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
import java.util.List;
import java.util.Optional;

/** State tables in their own PostgreSQL schema; runs serialized by a session advisory lock. */
public final class PostgresStateStore implements StateStore {
    /** The layout version this code writes; a database with a higher one was written by a newer Tandem. */
    static final int LAYOUT_VERSION = 1;
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
            s.execute("CREATE TABLE IF NOT EXISTS " + t("backfill") + " (target_schema text NOT NULL,"
                    + " migration text NOT NULL, table_name text NOT NULL, last_key text, rows_done bigint NOT NULL,"
                    + " estimate bigint NOT NULL, done boolean NOT NULL, updated_at timestamptz NOT NULL,"
                    + " PRIMARY KEY (target_schema, migration, table_name))");
            try (ResultSet rows = s.executeQuery("SELECT max(version) FROM " + t("layout"))) {
                rows.next();
                int version = rows.getInt(1);
                if (rows.wasNull()) {
                    s.execute("INSERT INTO " + t("layout") + " VALUES (" + LAYOUT_VERSION + ")");
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
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                s.setInt(1, LOCK_CLASS);
                s.setString(2, schema + "/" + targetSchema);
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        return () -> unlock(c, targetSchema);
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

    private void unlock(Connection c, String targetSchema) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
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
        update(c, "DELETE FROM " + t("backfill") + " WHERE target_schema = ? AND migration = ?", targetSchema, name);
    }

    @Override
    public List<BackfillProgress> backfill(Connection c, String targetSchema, String name) throws SQLException {
        List<BackfillProgress> progress = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT table_name, last_key, rows_done, estimate, done,"
                + " updated_at FROM " + t("backfill") + " WHERE target_schema = ? AND migration = ? ORDER BY table_name")) {
            s.setString(1, targetSchema);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    progress.add(new BackfillProgress(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4),
                            r.getBoolean(5), r.getTimestamp(6).toInstant()));
                }
            }
        }
        return progress;
    }

    @Override
    public void saveBackfill(Connection c, String targetSchema, String name, BackfillProgress p) throws SQLException {
        String sql = "INSERT INTO " + t("backfill") + " (target_schema, migration, table_name, last_key, rows_done,"
                + " estimate, done, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target_schema, migration,"
                + " table_name) DO UPDATE SET last_key = excluded.last_key, rows_done = excluded.rows_done,"
                + " estimate = excluded.estimate, done = excluded.done, updated_at = excluded.updated_at";
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
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
