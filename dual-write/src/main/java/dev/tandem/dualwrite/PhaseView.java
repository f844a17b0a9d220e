package dev.tandem.dualwrite;

import dev.tandem.state.InstanceRegistry;
import dev.tandem.state.PhaseRow;
import dev.tandem.state.StateReads;
import dev.tandem.state.StateSchema;
import dev.tandem.state.VersionStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Tells the application which phase a migration is in, read from Tandem's state tables, so it can flip its
 * own feature toggles: {@link DualWritePhase read-old/write-both → read-new/write-both → read-new/write-new}.
 * Get one from {@link PhaseGuard#phases()}; it reads the schema and state schema the guard was built with.
 * Reads nothing but {@code migrations} and {@code history} in the state schema. Which database it reads
 * (PostgreSQL, MariaDB or MySQL) it finds out on its first connection and keeps.
 */
public final class PhaseView {
    /** Finds out which database a connection is on. */
    interface StateOn {
        StateSchema state(Connection connection) throws SQLException;
    }

    private final String schema;
    private final StateOn detect;
    private final Duration timeout;
    private final GuardListener listener;
    private volatile StateSchema state;

    PhaseView(String schema, StateOn detect, Duration timeout, GuardListener listener) {
        this.schema = schema;
        this.detect = detect;
        this.timeout = timeout;
        this.listener = listener;
    }

    /** The guard's listeners, which its {@link DualWriter}s tell of their writes. */
    GuardListener listener() {
        return listener;
    }

    private StateSchema state(Connection connection) throws SQLException {
        StateSchema known = state;
        if (known == null) {
            known = detect.state(connection);
            state = known;
        }
        return known;
    }

    /**
     * The phase of {@code migration} on a connection of {@code dataSource}, within the guard's time limit.
     *
     * @throws PhaseGuardException when the state could not be read in time, or reading it failed
     */
    public MigrationPhase phase(DataSource dataSource, String migration) {
        Objects.requireNonNull(migration, "migration");
        return TimeLimit.run(timeout, "reading the phase of migration '" + migration + "'", migration, () -> {
            try (Connection c = dataSource.getConnection()) {
                return phase(c, migration);
            }
        });
    }

    /** The phase of {@code migration}, read on {@code connection} in whatever transaction it has open. */
    public MigrationPhase phase(Connection connection, String migration) throws SQLException {
        Objects.requireNonNull(migration, "migration");
        return toPhase(migration, new StateReads(state(connection)).phase(connection, schema, migration));
    }

    /** The phase of the latest migration recorded for the schema; empty when none is. */
    public Optional<MigrationPhase> latest(DataSource dataSource) {
        return TimeLimit.run(timeout, "reading the latest migration of schema '" + schema + "'", SchemaVersion.BASE,
                () -> {
                    try (Connection c = dataSource.getConnection()) {
                        PhaseRow row = new StateReads(state(c)).phase(c, schema, null);
                        return Optional.ofNullable(row == null ? null : toPhase(row.name(), row));
                    }
                });
    }

    /**
     * The migrations of the schema in flight (expanding to rolling back), oldest first: several when they are stacked,
     * each expanded on top of the one before it.
     */
    public List<MigrationPhase> inFlight(DataSource dataSource) {
        return TimeLimit.run(timeout, "reading the migrations in flight of schema '" + schema + "'",
                SchemaVersion.BASE, () -> {
                    try (Connection c = dataSource.getConnection()) {
                        return new VersionStack(new StateReads(state(c)).migrations(c, schema), Set.of()).inFlight()
                                .stream().map(m -> new MigrationPhase(m.name(), m.phase(), m.backfilled(),
                                        DualWritePhase.of(m.phase(), m.backfilled()))).toList();
                    }
                });
    }

    /** Takes the lock contract takes exclusively when it begins, shared, until the transaction ends. */
    void holdOffContract(Connection connection) throws SQLException {
        new InstanceRegistry(state(connection)).lockShared(connection);
    }

    private static MigrationPhase toPhase(String migration, PhaseRow row) {
        if (row == null) {
            return new MigrationPhase(migration, MigrationPhase.NONE, false, DualWritePhase.of(null, false));
        }
        return new MigrationPhase(migration, row.phase(), row.backfilled(),
                DualWritePhase.of(row.phase(), row.backfilled()));
    }
}
