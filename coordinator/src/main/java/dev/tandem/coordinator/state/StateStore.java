package dev.tandem.coordinator.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Tandem's own tables in the target database: migrations, phase history, completed steps, backfill
 * checkpoints, and the registry of application instances. Every method runs on the connection it is given,
 * inside whatever transaction is open.
 */
public interface StateStore {

    /** Whether the state tables exist (a plan must not create them). */
    boolean installed(Connection connection) throws SQLException;

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

    /** Forgets the completed steps and backfill checkpoints of a migration (after rollback). */
    void clearProgress(Connection connection, String targetSchema, String name) throws SQLException;

    List<BackfillProgress> backfill(Connection connection, String targetSchema, String name) throws SQLException;

    void saveBackfill(Connection connection, String targetSchema, String name, BackfillProgress progress)
            throws SQLException;

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
