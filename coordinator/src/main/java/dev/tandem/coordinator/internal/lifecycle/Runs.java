package dev.tandem.coordinator.internal.lifecycle;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.TandemException;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresDialect;
import dev.tandem.coordinator.internal.engine.Retry;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.internal.state.StateStore;
import dev.tandem.state.DatabaseKind;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Opens each command's {@link Run}: one connection, the database detected once, and for the phases the run lock,
 * with Tandem's state installed under it.
 */
final class Runs {
    /** How often a phase whose session was lost starts again on a new connection. */
    private static final int SESSION_RETRIES = 3;

    private final DataSource dataSource;
    private final TandemConfig config;

    Runs(DataSource dataSource, TandemConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    interface Work<T> {
        T run(Run run) throws SQLException;
    }

    /** What a phase checks on a database that holds no Tandem state yet, before installing it. */
    interface BeforeInstall {
        void check(Run run) throws SQLException;
    }

    /** Runs {@code work} without the run lock: it only reads. */
    <T> T read(Work<T> work) {
        return withConnection(c -> work.run(open(c)));
    }

    /**
     * Runs a phase under the run lock. When the server ended a session of the run (its transaction sat idle past
     * the {@link TandemConfig#lockHoldTimeout() lock hold timeout} because this process was paused, say), the
     * phase starts again on a new connection: like a rerun after a crash, it continues from the steps and batches
     * that committed, once it holds the run lock again. Backfill takes the run lock shared, so backfills in other
     * processes may join in; every other phase takes it exclusive. A failure names the migration and the phase.
     */
    <T> T phase(PhaseKind phase, String migration, Work<T> work) {
        return phase(phase, migration, null, work);
    }

    /** Like {@link #phase(PhaseKind, String, Work)}; where no state is installed, checks that first. */
    <T> T phase(PhaseKind phase, String migration, BeforeInstall beforeInstall, Work<T> work) {
        boolean shared = phase == PhaseKind.BACKFILL;
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    return withConnection(c -> locked(c, shared, beforeInstall, work));
                } catch (SessionLost lost) {
                    if (attempt >= SESSION_RETRIES) {
                        throw lost.failure();
                    }
                    Retry.pause(Retry.delay(attempt, config.retryBaseDelay(), config.retryMaxDelay()));
                }
            }
        } catch (TandemException e) {
            throw e.within(migration, phase, null);
        }
    }

    /** Runs {@code work} under the exclusive run lock, once: a lost session is not retried. */
    <T> T underRunLock(Work<T> work) {
        try {
            return withConnection(c -> locked(c, false, null, work));
        } catch (SessionLost lost) {
            throw lost.failure();
        }
    }

    interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on a connection of its own, the database not looked at: for what only Tandem's state needs. */
    <T> T withConnection(ConnectionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseException(Secrets.mask(e.getMessage()), e);
        }
    }

    private Run open(Connection c) throws SQLException {
        return new Run(c, dialect(c), StateStore.on(c, config.stateSchema()), config, dataSource);
    }

    private static Dialect dialect(Connection c) throws SQLException {
        return StateStore.kindOf(c) == DatabaseKind.POSTGRESQL ? PostgresDialect.detect(c)
                : MariaDbDialect.forSession(c);
    }

    /** @param beforeInstall null when the phase checks nothing before the state is installed */
    private <T> T locked(Connection c, boolean shared, BeforeInstall beforeInstall, Work<T> work)
            throws SQLException {
        Run run = null;
        try {
            run = open(c);
            if (beforeInstall != null && !run.store().installed(c)) {
                beforeInstall.check(run);
            }
            run.store().install(c);
            AutoCloseable lock = shared ? run.store().sharedLock(c, run.schema(), run.config().runLockWait())
                    : run.store().lock(c, run.schema(), run.config().runLockWait());
            try {
                return work.run(run);
            } finally {
                try {
                    lock.close();
                } catch (Exception e) {
                    // closing the connection releases the lock as well
                }
            }
        } catch (SQLException | RuntimeException e) {
            // the pool reports its use of a connection it found broken without an SQL state
            if (run != null && sessionLost(run.dialect(), e) || !c.isValid(5)) {
                throw new SessionLost(e);
            }
            throw e;
        }
    }

    /** Whether {@code failure}, or a failure it wraps (a backfill worker's, say), is the loss of a session. */
    private static boolean sessionLost(Dialect dialect, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException e && dialect.isSessionLost(e)) {
                return true;
            }
        }
        return false;
    }

    /** A phase's session was ended by the server or broke; the phase is run again on a new connection. */
    private static final class SessionLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SessionLost(Exception cause) {
            super(cause);
        }

        /** The failure as it is reported when the phase is not run again. */
        RuntimeException failure() {
            return getCause() instanceof SQLException e ? new DatabaseException(Secrets.mask(e.getMessage()), e)
                    : (RuntimeException) getCause();
        }
    }
}
