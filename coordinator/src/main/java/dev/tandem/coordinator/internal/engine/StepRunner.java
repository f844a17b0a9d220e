package dev.tandem.coordinator.internal.engine;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.TandemException;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.state.StateStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Runs a phase plan step by step. A step is the phase's transaction or one statement outside it (every
 * statement is its own step where DDL is not transactional, see {@link Dialect#transactionalDdl()}); each is
 * recorded as done in the state tables (in the same transaction where it has one), so a rerun after a crash
 * skips what is done and repeats at most the step that was cut off. Lock timeouts, deadlocks and
 * serialization failures are retried with back-off and jitter.
 */
public final class StepRunner {
    private final Dialect dialect;
    private final StateStore state;
    private final TandemConfig config;
    private final Connection connection;
    private final Dialect.Sessions sessions;
    private final String migration;
    private final String source;
    private int completed;
    /** The statement being executed, named when it fails. */
    private String running = "";
    /** How long the statements of the step being run really wait for a lock (the database may round up). */
    private Duration lockWait;

    /** @param sessions opens a second session, for the statements a dialect runs beside {@code connection} */
    public StepRunner(Dialect dialect, StateStore state, TandemConfig config, Connection connection,
                      Dialect.Sessions sessions, String migration, String source) {
        this.dialect = dialect;
        this.state = state;
        this.config = config;
        this.connection = connection;
        this.sessions = sessions;
        this.migration = migration;
        this.source = source;
    }

    /** Runs the plan's steps that are not yet recorded as done; returns how many statements ran. */
    public int run(PhasePlan plan) {
        PhaseKind phase = plan.phase();
        int ran = 0;
        for (int i = 0; i < plan.before().size(); i++) {
            ran += step(StepId.statement(phase, Stage.BEFORE, i), List.of(plan.before().get(i)), i > 0);
        }
        if (dialect.transactionalDdl()) {
            if (!plan.main().isEmpty()) {
                ran += step(StepId.whole(phase, Stage.MAIN), plan.main(), !plan.before().isEmpty());
            }
        } else {
            // DDL commits on its own: each statement is a step, and each is idempotent if repeated after a crash
            for (int i = 0; i < plan.main().size(); i++) {
                ran += step(StepId.statement(phase, Stage.MAIN, i), List.of(plan.main().get(i)),
                        i > 0 || !plan.before().isEmpty());
            }
        }
        for (int i = 0; i < plan.after().size(); i++) {
            ran += step(StepId.statement(phase, Stage.AFTER, i), List.of(plan.after().get(i)),
                    i > 0 || !plan.before().isEmpty() || !plan.main().isEmpty());
        }
        return ran;
    }

    /** @param afterOthers whether earlier steps of the plan exist, which are applied when this one runs */
    private int step(StepId id, List<Action> actions, boolean afterOthers) {
        try {
            if (state.stepDone(connection, config.schema(), migration, id.format())) {
                return 0;
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot read Tandem's state: " + e.getMessage(), e);
        }
        config.stepListener().stepStarted(migration, id.format());
        boolean transactional = dialect.transactionalDdl() && actions.stream().allMatch(Action::transactional);
        boolean blocksWrites = actions.stream().anyMatch(a -> a.lock().blocksWrites());
        for (int attempt = 0; ; attempt++) {
            Action current = actions.get(0);
            try {
                if (transactional) {
                    connection.setAutoCommit(false);
                    dialect.setLockTimeout(connection, blocksWrites ? config.lockTimeout() : Duration.ZERO, true);
                    lockWait = config.lockTimeout();
                    dialect.setIdleTransactionTimeout(connection, config.lockHoldTimeout());
                    for (Action action : actions) {
                        current = action;
                        execute(action);
                    }
                    TestPause.at(id.format());
                    state.markStep(connection, config.schema(), migration, id.format());
                    connection.commit();
                    dialect.setIdleTransactionTimeout(connection, Duration.ZERO);
                } else {
                    connection.setAutoCommit(true);
                    lockWait = dialect.setLockTimeout(connection, blocksWrites ? config.lockTimeout() : Duration.ZERO,
                            actions.stream().map(Action::ddl).toList());
                    for (Action action : actions) {
                        current = action;
                        execute(action);
                    }
                    TestPause.at(id.format());
                    dialect.setLockTimeout(connection, Duration.ZERO, false);
                    state.markStep(connection, config.schema(), migration, id.format());
                }
                connection.setAutoCommit(true);
                completed++;
                config.afterStep().accept(id.format());
                int statements = actions.stream().mapToInt(a -> a.sql().size()).sum();
                config.stepListener().stepDone(migration, id.format(), statements);
                return statements;
            } catch (SQLException e) {
                rollbackQuietly(transactional);
                if (dialect.isRetryable(e)) {
                    boolean retried = attempt < config.lockRetries();
                    config.stepListener().lockConflict(migration, id.format(), attempt + 1, retried);
                    if (retried) {
                        Retry.pause(Retry.delay(attempt, config.retryBaseDelay(), config.retryMaxDelay()));
                        continue;
                    }
                }
                throw failure(id, current, e, attempt + 1, afterOthers);
            }
        }
    }

    /** How many steps this runner completed (steps found done already do not count). */
    public int completedSteps() {
        return completed;
    }

    private void execute(Action action) throws SQLException {
        dialect.execute(action.ddl(), action.sql(), connection, sessions, config.lockHoldTimeout(),
                sql -> running = sql);
    }

    private RuntimeException failure(StepId step, Action action, SQLException e, int attempts, boolean afterOthers) {
        return failureMessage(step, action, e, attempts, afterOthers).within(migration, step.phase(), step.format());
    }

    private TandemException failureMessage(StepId step, Action action, SQLException e, int attempts,
                                           boolean afterOthers) {
        String where = source + ": " + action.origin();
        // a failure after committed steps leaves the phase half done: say how to go on
        String phase = step.phase().label();
        String resume = afterOthers ? " The earlier steps of " + phase + " stay applied: fix the cause and run "
                + phase + " again to continue from step " + step + (step.phase() == PhaseKind.EXPAND
                ? ", or roll back" : "") + "." : "";
        if (dialect.isRetryable(e)) {
            String holders = action.ddl().target() == null ? ""
                    : dialect.describeLockHolders(connection, action.ddl().target());
            return new DatabaseException(where + ": could not take the " + action.lock().mode() + " lock"
                    + (action.ddl().target() == null ? "" : " on " + action.ddl().target())
                    + " within " + lockWait.toMillis() + " ms" + (lockWait.equals(config.lockTimeout()) ? ""
                    : " (the lock timeout of " + config.lockTimeout().toMillis() + " ms, rounded up to what the "
                    + "database counts)") + ", " + attempts + " attempt(s) ("
                    + e.getMessage().strip() + ")."
                    + (holders.isEmpty() ? "" : " Sessions holding locks on it: " + holders + ".")
                    + " Step " + step + " was not applied; run the command again once the blocker is gone, or"
                    + " raise --lock-timeout / --lock-retries.", e);
        }
        if (dialect.isBadInput(e)) {
            return new InvalidMigrationException(where + ": " + e.getMessage().strip() + " (in: "
                    + running.lines().findFirst().orElse("") + ")"
                    // expand undoes its own steps on bad input (see Tandem.expand); other phases continue
                    + (step.phase() == PhaseKind.EXPAND ? "" : resume), e);
        }
        return new DatabaseException(where + ": step " + step + " failed: " + e.getMessage().strip() + resume, e);
    }

    /** Rolls the step's transaction back, or ends the session's lock timeout a step outside one had set. */
    private void rollbackQuietly(boolean transactional) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            connection.setAutoCommit(true);
            if (!transactional) {
                dialect.setLockTimeout(connection, Duration.ZERO, false);
            }
        } catch (SQLException ignored) {
            // the connection is broken; the caller's error says why
        }
    }
}
