package dev.tandem.coordinator.internal.state;

import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.UnsupportedDatabaseException;
import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.BackfillRange;
import dev.tandem.coordinator.state.HistoryEntry;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.state.DatabaseKind;
import dev.tandem.state.StateSchema;
import dev.tandem.state.VersionStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Tandem's own tables in the target database: migrations, phase history, completed steps, backfill
 * checkpoints, and the registry of application instances. Every method runs on the connection it is given,
 * inside whatever transaction is open.
 */
public interface StateStore {

    /** The state store for the database {@code connection} is on, its tables in {@code stateSchema}. */
    static StateStore on(Connection connection, String stateSchema) throws SQLException {
        DatabaseKind kind = kindOf(connection);
        StateSchema schema = new StateSchema(kind, stateSchema, 0);
        return kind == DatabaseKind.POSTGRESQL ? new PostgresStateStore(schema) : new MariaDbStateStore(schema);
    }

    /**
     * The kind of database {@code connection} is on.
     *
     * @throws UnsupportedDatabaseException when it is neither PostgreSQL nor MariaDB (MySQL)
     */
    static DatabaseKind kindOf(Connection connection) throws SQLException {
        Optional<DatabaseKind> kind = DatabaseKind.of(connection);
        if (kind.isEmpty()) {
            throw new UnsupportedDatabaseException("Tandem does not support " + connection.getMetaData()
                    .getDatabaseProductName() + " yet");
        }
        return kind.get();
    }

    /** Whether the state tables exist (a plan must not create them). */
    boolean installed(Connection connection) throws SQLException;

    /**
     * Why this session cannot install or use the state, naming the right it lacks; null when nothing is missing or
     * the store does not check.
     */
    String missingRight(Connection connection) throws SQLException;

    /** Creates or upgrades the state tables; refuses tables written by a newer Tandem. */
    void install(Connection connection) throws SQLException;

    /**
     * Takes the lock that serializes Tandem runs on {@code targetSchema}, waiting up to {@code wait}.
     *
     * @throws dev.tandem.coordinator.StateConflictException when another run holds it
     */
    AutoCloseable lock(Connection connection, String targetSchema, Duration wait) throws SQLException;

    Optional<MigrationRecord> find(Connection connection, String targetSchema, String name) throws SQLException;

    /** All migrations of {@code targetSchema}, oldest first. */
    List<MigrationRecord> all(Connection connection, String targetSchema) throws SQLException;

    /** Inserts or replaces the migration's row and records {@code event} in the history. */
    void save(Connection connection, MigrationRecord record, String event, String detail) throws SQLException;

    void delete(Connection connection, String targetSchema, String name) throws SQLException;

    void setPhase(Connection connection, String targetSchema, String name, Phase phase, String event,
                  String detail) throws SQLException;

    List<HistoryEntry> history(Connection connection, String targetSchema, String name) throws SQLException;

    boolean stepDone(Connection connection, String targetSchema, String name, String step) throws SQLException;

    void markStep(Connection connection, String targetSchema, String name, String step) throws SQLException;

    /** Forgets the completed steps of one phase of a migration ({@code keep} and {@code revert} may run again). */
    void forgetSteps(Connection connection, String targetSchema, String name, PhaseKind phase) throws SQLException;

    /** Forgets the completed steps and backfill checkpoints of a migration (after rollback). */
    void clearProgress(Connection connection, String targetSchema, String name) throws SQLException;

    /**
     * Takes the run lock shared: backfill workers of any number of processes hold it together, while the
     * exclusive lock of expand, contract and rollback waits for all of them (and they for it).
     */
    AutoCloseable sharedLock(Connection connection, String targetSchema, Duration wait) throws SQLException;

    /** Progress per table, summed over its key ranges. */
    List<BackfillProgress> backfill(Connection connection, String targetSchema, String name) throws SQLException;

    boolean backfillPlanned(Connection connection, String targetSchema, String name, String table)
            throws SQLException;

    /**
     * Records a table's key ranges, split at {@code boundaries} (ascending keys, each the inclusive upper end of
     * one range), unless another run planned the table first; then nothing changes.
     */
    void planBackfill(Connection connection, String targetSchema, String name, String table, long estimate,
                      List<String> boundaries) throws SQLException;

    /**
     * Leases the first unfinished range of {@code table} that nobody holds: never leased, released, its lease
     * expired, or its holder's session gone. Skips ranges another worker is claiming at this moment.
     */
    Optional<BackfillRange> claimRange(Connection connection, String targetSchema, String name, String table,
                                       String owner, Duration lease) throws SQLException;

    /**
     * Saves a range's progress in the current transaction and renews its lease; false (nothing saved) when
     * {@code owner} no longer holds the lease, in which case the caller must roll back its batch.
     */
    boolean checkpoint(Connection connection, String targetSchema, String name, BackfillRange range, String owner,
                       Duration lease) throws SQLException;

    /** Renews the lease while the worker waits (throttled); false when it was lost. */
    boolean renewLease(Connection connection, String targetSchema, String name, BackfillRange range, String owner,
                       Duration lease) throws SQLException;

    /** Gives a lease up so another worker may take the range at once. */
    void releaseRange(Connection connection, String targetSchema, String name, BackfillRange range, String owner)
            throws SQLException;

    /** How many of the table's ranges are not finished. */
    int rangesLeft(Connection connection, String targetSchema, String name, String table) throws SQLException;

    /**
     * How the migration's running backfills are steered; {@link BackfillControl#NONE} when it never was, or the
     * tables are of a layout before the control's (status reads them without upgrading).
     */
    BackfillControl control(Connection connection, String targetSchema, String name) throws SQLException;

    /**
     * Changes how the migration's running backfills are steered, in one transaction that records each change in
     * the history, naming {@code by} (who sent it); returns the control as saved.
     */
    BackfillControl changeControl(Connection connection, String targetSchema, String name,
                                  UnaryOperator<BackfillControl> change, String by) throws SQLException;

    /**
     * The schema versions {@code targetSchema}'s recorded migrations make, and which are served, as the dual-write
     * library's guard sees them: one reading of the rules for the guard, the instance gate and status.
     */
    VersionStack versions(Connection connection, String targetSchema) throws SQLException;

    /**
     * Keeps application instances from registering until the open transaction ends. An instance checks the
     * phase and registers under the same lock, so a contract that looks for live instances and sets its phase
     * under it either sees the instance or is seen by it.
     */
    void lockInstanceRegistry(Connection connection) throws SQLException;

    /** Application instances of {@code targetSchema} whose last heartbeat is at most {@code seenWithin} old. */
    List<LiveInstance> liveInstances(Connection connection, String targetSchema, Duration seenWithin)
            throws SQLException;
}
