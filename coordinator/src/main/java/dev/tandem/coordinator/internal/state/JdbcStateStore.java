package dev.tandem.coordinator.internal.state;

import static dev.tandem.state.StateSchema.BACKFILL_CONTROL;
import static dev.tandem.state.StateSchema.BACKFILL_RANGES;
import static dev.tandem.state.StateSchema.BACKFILL_TABLES;
import static dev.tandem.state.StateSchema.HISTORY;
import static dev.tandem.state.StateSchema.MIGRATIONS;
import static dev.tandem.state.StateSchema.STEPS;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.BackfillRange;
import dev.tandem.coordinator.state.HistoryEntry;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.state.DatabaseKind;
import dev.tandem.state.InstanceRegistry;
import dev.tandem.state.Jdbc;
import dev.tandem.state.MigrationRow;
import dev.tandem.state.NewerLayoutException;
import dev.tandem.state.StateReads;
import dev.tandem.state.StateSchema;
import dev.tandem.state.VersionStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The coordinator's statements on the state tables, the same on every database: the tables, their layout and its
 * upgrades belong to {@link StateSchema} (module tandem-state). A subclass supplies its run lock, how it claims a
 * backfill range, and the few clauses it spells its own way.
 */
abstract class JdbcStateStore implements StateStore {
    /** The columns of a backfill range that {@link #range} reads, in its order. */
    protected static final String RANGE_COLUMNS = "range_no, lower_key, upper_key, last_key, rows_done, batches,"
            + " paused_ms";
    private static final List<String> MIGRATION_COLUMNS = List.of("source", "checksum", "phase", "definition",
            "snapshot", "version_schema", "previous_version_schema");

    private final StateSchema schema;
    private final InstanceRegistry registry;

    protected JdbcStateStore(StateSchema schema) {
        this.schema = schema;
        this.registry = new InstanceRegistry(schema);
    }

    protected final String stateSchema() {
        return schema.name();
    }

    protected final DatabaseKind kind() {
        return schema.kind();
    }

    /** A state table's qualified name. */
    protected final String table(String name) {
        return schema.table(name);
    }

    /** Takes the run lock, waiting up to {@code wait}; false when another run holds it. */
    protected abstract boolean tryLock(Connection c, String targetSchema, Duration wait, boolean shared)
            throws SQLException;

    protected abstract void unlock(Connection c, String targetSchema, boolean shared) throws SQLException;

    /** Who holds the run lock, as " (…)" for the message; empty when that cannot be told. */
    protected abstract String lockHolder(Connection c, String targetSchema);

    /** The migration's snapshot column, read as text. */
    protected abstract String snapshotRead();

    /** The parameter that writes the snapshot column from text. */
    protected abstract String snapshotWrite();

    /** The condition that a range's lease counts: not expired, and the session that took it still connected. */
    protected abstract String leaseHeld(String range);

    /** The condition that this session holds a range's lease. */
    protected abstract String leaseHolder();

    /** The assignments that give a range's lease up. */
    protected abstract String leaseReleased();

    /**
     * The columns of a table's backfill progress, from its row {@code t} in backfill_tables and its ranges
     * {@code r}: table, estimate, rows done, done, last update, paused ms, ranges done, ranges, ranges leased.
     */
    protected abstract String progressColumns();

    @Override
    public final boolean installed(Connection c) throws SQLException {
        return schema.has(c, MIGRATIONS);
    }

    @Override
    public String missingRight(Connection c) throws SQLException {
        return null;
    }

    @Override
    public final void install(Connection c) throws SQLException {
        String missing = missingRight(c);
        if (missing != null) {
            throw new DatabaseException(missing);
        }
        try {
            schema.install(c);
        } catch (NewerLayoutException e) {
            throw new StateConflictException(e.getMessage());
        }
    }

    @Override
    public final AutoCloseable lock(Connection c, String targetSchema, Duration wait) throws SQLException {
        return lock(c, targetSchema, wait, false);
    }

    @Override
    public final AutoCloseable sharedLock(Connection c, String targetSchema, Duration wait) throws SQLException {
        return lock(c, targetSchema, wait, true);
    }

    private AutoCloseable lock(Connection c, String targetSchema, Duration wait, boolean shared) throws SQLException {
        if (tryLock(c, targetSchema, wait, shared)) {
            return () -> unlock(c, targetSchema, shared);
        }
        throw new StateConflictException("another Tandem run holds the lock on " + kind().schemaNoun() + " '"
                + targetSchema + "'" + lockHolder(c, targetSchema) + "; waited " + wait.toMillis() + " ms. Wait for it"
                + " to finish, or raise --lock-wait");
    }

    @Override
    public final Optional<MigrationRecord> find(Connection c, String targetSchema, String name) throws SQLException {
        return select(c, "WHERE target_schema = ? AND name = ?", targetSchema, name).stream().findFirst();
    }

    @Override
    public final List<MigrationRecord> all(Connection c, String targetSchema) throws SQLException {
        return select(c, "WHERE target_schema = ? ORDER BY created_at, name", targetSchema);
    }

    private List<MigrationRecord> select(Connection c, String where, String... args) throws SQLException {
        String sql = "SELECT target_schema, name, source, checksum, phase, definition, " + snapshotRead() + ","
                + " version_schema, previous_version_schema, created_at, updated_at FROM " + table(MIGRATIONS)
                + " " + where;
        List<MigrationRecord> records = new ArrayList<>();
        Jdbc.query(c, sql, r -> records.add(new MigrationRecord(r.getString(1), r.getString(2), r.getString(3),
                r.getString(4), Phase.of(r.getString(5)), r.getString(6), r.getString(7), r.getString(8),
                r.getString(9), r.getTimestamp(10).toInstant(), r.getTimestamp(11).toInstant())), args);
        return records;
    }

    @Override
    public final void save(Connection c, MigrationRecord m, String event, String detail) throws SQLException {
        Jdbc.update(c, "INSERT INTO " + table(MIGRATIONS) + " (target_schema, name, "
                        + String.join(", ", MIGRATION_COLUMNS) + ") VALUES (?, ?, ?, ?, ?, ?, " + snapshotWrite()
                        + ", ?, ?)" + kind().onConflict("target_schema, name", MIGRATION_COLUMNS) + ", created_at = "
                        + kind().now() + ", updated_at = " + kind().now(),
                m.targetSchema(), m.name(), m.source(), m.checksum(), m.phase().label(), m.definition(), m.snapshot(),
                m.versionSchema(), m.previousVersionSchema());
        addHistory(c, m.targetSchema(), m.name(), event, detail);
    }

    @Override
    public final void delete(Connection c, String targetSchema, String name) throws SQLException {
        clearProgress(c, targetSchema, name);
        Jdbc.update(c, "DELETE FROM " + table(MIGRATIONS) + " WHERE target_schema = ? AND name = ?", targetSchema,
                name);
        Jdbc.update(c, "DELETE FROM " + table(HISTORY) + " WHERE target_schema = ? AND migration = ?", targetSchema,
                name);
    }

    @Override
    public final void setPhase(Connection c, String targetSchema, String name, Phase phase, String event,
                               String detail) throws SQLException {
        Jdbc.update(c, "UPDATE " + table(MIGRATIONS) + " SET phase = ?, updated_at = " + kind().now()
                + " WHERE target_schema = ? AND name = ?", phase.label(), targetSchema, name);
        addHistory(c, targetSchema, name, event, detail);
    }

    private void addHistory(Connection c, String targetSchema, String name, String event, String detail)
            throws SQLException {
        Jdbc.update(c, "INSERT INTO " + table(HISTORY) + " (target_schema, migration, event, detail)"
                + " VALUES (?, ?, ?, ?)", targetSchema, name, event, detail);
    }

    @Override
    public final List<HistoryEntry> history(Connection c, String targetSchema, String name) throws SQLException {
        List<HistoryEntry> entries = new ArrayList<>();
        Jdbc.query(c, "SELECT migration, event, at, detail FROM " + table(HISTORY)
                        + " WHERE target_schema = ? AND migration = ? ORDER BY id",
                r -> entries.add(new HistoryEntry(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(),
                        r.getString(4))), targetSchema, name);
        return entries;
    }

    @Override
    public final boolean stepDone(Connection c, String targetSchema, String name, String step) throws SQLException {
        return Jdbc.exists(c, "SELECT 1 FROM " + table(STEPS) + " WHERE target_schema = ? AND migration = ?"
                + " AND step = ?", targetSchema, name, step);
    }

    @Override
    public final void markStep(Connection c, String targetSchema, String name, String step) throws SQLException {
        Jdbc.update(c, kind().insertIfAbsent(table(STEPS) + " (target_schema, migration, step) VALUES (?, ?, ?)"),
                targetSchema, name, step);
    }

    @Override
    public final void forgetSteps(Connection c, String targetSchema, String name, PhaseKind phase)
            throws SQLException {
        Jdbc.update(c, "DELETE FROM " + table(STEPS) + " WHERE target_schema = ? AND migration = ? AND step LIKE ?",
                targetSchema, name, phase.label() + "/%");
    }

    @Override
    public final void clearProgress(Connection c, String targetSchema, String name) throws SQLException {
        for (String progress : List.of(STEPS, BACKFILL_RANGES, BACKFILL_TABLES, BACKFILL_CONTROL)) {
            Jdbc.update(c, "DELETE FROM " + table(progress) + " WHERE target_schema = ? AND migration = ?",
                    targetSchema, name);
        }
    }

    @Override
    public final List<BackfillProgress> backfill(Connection c, String targetSchema, String name)
            throws SQLException {
        String sql = "SELECT " + progressColumns() + " FROM " + table(BACKFILL_TABLES) + " t LEFT JOIN "
                + table(BACKFILL_RANGES) + " r USING (target_schema, migration, table_name)"
                + " WHERE t.target_schema = ? AND t.migration = ? GROUP BY t.table_name, t.estimate, t.planned_at"
                + " ORDER BY t.table_name";
        List<BackfillProgress> progress = new ArrayList<>();
        Jdbc.query(c, sql, r -> progress.add(new BackfillProgress(r.getString(1), null, r.getLong(3), r.getLong(2),
                r.getBoolean(4), r.getTimestamp(5).toInstant(), r.getLong(6), r.getInt(7), r.getInt(8),
                r.getInt(9))), targetSchema, name);
        return progress;
    }

    @Override
    public final boolean backfillPlanned(Connection c, String targetSchema, String name, String table)
            throws SQLException {
        return Jdbc.exists(c, "SELECT 1 FROM " + table(BACKFILL_TABLES) + " WHERE target_schema = ?"
                + " AND migration = ? AND table_name = ?", targetSchema, name, table);
    }

    @Override
    public final void planBackfill(Connection c, String targetSchema, String name, String table, long estimate,
                                   List<String> boundaries) throws SQLException {
        Jdbc.inTransaction(c, () -> {
            int planned;
            try (PreparedStatement s = Jdbc.prepare(c, kind().insertIfAbsent(table(BACKFILL_TABLES)
                    + " (target_schema, migration, table_name, estimate) VALUES (?, ?, ?, ?)"), targetSchema, name,
                    table)) {
                s.setLong(4, estimate);
                planned = s.executeUpdate();
            }
            if (planned == 1) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table(BACKFILL_RANGES)
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

    @Override
    public final BackfillControl control(Connection c, String targetSchema, String name) throws SQLException {
        if (!schema.has(c, BACKFILL_CONTROL)) {
            return BackfillControl.NONE; // an older layout, read without upgrading it
        }
        return readControl(c, targetSchema, name, "");
    }

    private BackfillControl readControl(Connection c, String targetSchema, String name, String lock)
            throws SQLException {
        BackfillControl[] found = {BackfillControl.NONE};
        Jdbc.query(c, "SELECT paused, max_rate, workers, changed_at FROM " + table(BACKFILL_CONTROL)
                + " WHERE target_schema = ? AND migration = ?" + lock, r -> found[0] = new BackfillControl(
                r.getBoolean(1), r.getObject(2) == null ? null : r.getLong(2),
                r.getObject(3) == null ? null : r.getInt(3), r.getTimestamp(4).toInstant()), targetSchema, name);
        return found[0];
    }

    @Override
    public final BackfillControl changeControl(Connection c, String targetSchema, String name,
                                               UnaryOperator<BackfillControl> change, String by) throws SQLException {
        return Jdbc.inTransaction(c, () -> {
            Jdbc.update(c, kind().insertIfAbsent(table(BACKFILL_CONTROL) + " (target_schema, migration)"
                    + " VALUES (?, ?)"), targetSchema, name);
            BackfillControl before = readControl(c, targetSchema, name, " FOR UPDATE");
            BackfillControl after = change.apply(before);
            try (PreparedStatement s = c.prepareStatement("UPDATE " + table(BACKFILL_CONTROL) + " SET paused = ?,"
                    + " max_rate = ?, workers = ?, changed_at = " + kind().clock()
                    + " WHERE target_schema = ? AND migration = ?")) {
                s.setBoolean(1, after.paused());
                s.setObject(2, after.maxRate(), Types.BIGINT);
                s.setObject(3, after.workers(), Types.INTEGER);
                s.setString(4, targetSchema);
                s.setString(5, name);
                s.executeUpdate();
            }
            String from = " (from " + by + ")";
            if (after.paused() != before.paused()) {
                addHistory(c, targetSchema, name, after.paused() ? "backfill paused" : "backfill resumed",
                        "from " + by);
            }
            if (!Objects.equals(after.maxRate(), before.maxRate())) {
                addHistory(c, targetSchema, name, "backfill max rate", (after.maxRate() == null ? "each process's own"
                        : after.maxRate() == 0 ? "no limit" : after.maxRate() + " rows/s") + from);
            }
            if (!Objects.equals(after.workers(), before.workers())) {
                addHistory(c, targetSchema, name, "backfill workers", (after.workers() == null ? "each process's own"
                        : after.workers() + " per process") + from);
            }
            return readControl(c, targetSchema, name, "");
        });
    }

    /**
     * Picks and locks the first unfinished range of a table that nobody holds, skipping those another worker
     * is claiming; parameters: target schema, migration, table. A lease held by this very session is stale: a
     * session runs one worker, which is asking again.
     */
    protected final String claimable(String columns) {
        return "SELECT " + columns + " FROM " + table(BACKFILL_RANGES) + " r WHERE target_schema = ?"
                + " AND migration = ? AND table_name = ? AND NOT done AND (r." + leaseHolder() + " OR NOT ("
                + leaseHeld("r") + ")) ORDER BY range_no LIMIT 1 FOR UPDATE SKIP LOCKED";
    }

    /** The claimed range of {@code table} from a row of {@link #RANGE_COLUMNS}. */
    protected static BackfillRange range(String table, ResultSet r) throws SQLException {
        return new BackfillRange(table, r.getInt(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5),
                r.getInt(6), r.getLong(7), false);
    }

    /** The lease's end; parameter: its length in milliseconds. */
    protected final String expiry() {
        return kind().clock() + " + " + kind().millis();
    }

    @Override
    public final boolean checkpoint(Connection c, String targetSchema, String name, BackfillRange range, String owner,
                                    Duration lease) throws SQLException {
        String sql = "UPDATE " + table(BACKFILL_RANGES) + " SET last_key = ?, rows_done = ?, batches = ?,"
                + " paused_ms = ?, done = ?, expires_at = " + expiry() + ", updated_at = " + kind().clock()
                + whereLeased();
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
    public final boolean renewLease(Connection c, String targetSchema, String name, BackfillRange range, String owner,
                                    Duration lease) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + table(BACKFILL_RANGES) + " SET paused_ms = ?,"
                + " expires_at = " + expiry() + whereLeased())) {
            s.setLong(1, range.pausedMillis());
            s.setLong(2, lease.toMillis());
            bindLeased(s, 3, targetSchema, name, range, owner);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public final void releaseRange(Connection c, String targetSchema, String name, BackfillRange range, String owner)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + table(BACKFILL_RANGES) + " SET "
                + leaseReleased() + whereLeased())) {
            bindLeased(s, 1, targetSchema, name, range, owner);
            s.executeUpdate();
        }
    }

    private String whereLeased() {
        return " WHERE target_schema = ? AND migration = ? AND table_name = ? AND range_no = ? AND owner = ?"
                + " AND " + leaseHolder();
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
    public final int rangesLeft(Connection c, String targetSchema, String name, String table) throws SQLException {
        try (PreparedStatement s = Jdbc.prepare(c, "SELECT COUNT(*) FROM " + table(BACKFILL_RANGES)
                + " WHERE target_schema = ? AND migration = ? AND table_name = ? AND NOT done", targetSchema, name,
                table); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    @Override
    public final VersionStack versions(Connection c, String targetSchema) throws SQLException {
        StateReads reads = new StateReads(schema);
        List<MigrationRow> migrations = reads.migrations(c, targetSchema);
        return new VersionStack(migrations, reads.existingSchemas(c, migrations.stream()
                .map(MigrationRow::versionSchema).toList()));
    }

    @Override
    public final void lockInstanceRegistry(Connection c) throws SQLException {
        registry.lockExclusive(c);
    }

    @Override
    public final List<LiveInstance> liveInstances(Connection c, String targetSchema, Duration seenWithin)
            throws SQLException {
        return registry.live(c, targetSchema, seenWithin).stream().map(i -> new LiveInstance(i.id(), i.version(),
                i.host(), i.startedAt(), i.lastSeen())).toList();
    }
}
