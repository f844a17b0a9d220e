package dev.tandem.liquibase;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.SqlFailures;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.TandemException;
import dev.tandem.coordinator.UnsupportedDatabaseException;
import dev.tandem.coordinator.internal.engine.Retry;
import dev.tandem.state.ChangelogRecords;
import dev.tandem.state.NewerLayoutException;
import dev.tandem.state.StateSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.command.CommandScope;
import liquibase.command.core.ChangelogSyncCommandStep;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.core.MariaDBDatabase;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.exception.MigrationFailedException;
import liquibase.exception.ValidationFailedException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.ui.LoggerUIService;

/**
 * Runs the changesets of one phase of a phase-labelled Liquibase changelog the way Tandem runs its own phases:
 * under the schema's run lock, with the session's lock_timeout, retrying a changeset that met a lock timeout or
 * deadlock, and recording what ran in Tandem's state. Everything that can be checked before a change is checked
 * first (labels, phase order, checksums of applied changesets), so a refused run applies nothing.
 */
public final class LiquibasePhases {
    /** What the changelog's state says after {@link #baseline(Changelog)}. */
    public static final String BASELINE = "baseline";
    /** What the changelog's state says after {@link #rollback(Changelog)}. */
    public static final String ROLLED_BACK = "rolled back";
    /** Liquibase's label filter for the changesets that carry no phase label. */
    private static final String UNLABELLED = "!expand and !backfill and !contract";

    private final Tandem tandem;
    private final TandemConfig config;

    public LiquibasePhases(Tandem tandem) {
        this.tandem = tandem;
        this.config = tandem.config();
    }

    /**
     * Runs the changesets labelled {@code phase} that have not run yet, after the checks.
     *
     * @throws dev.tandem.coordinator.InvalidMigrationException a changeset without or with two phase labels, an
     *                                                         unreadable changelog, a changeset failing on its input
     * @throws dev.tandem.coordinator.StateConflictException   a phase before this one not done, a changed applied
     *                                                         changeset, the run lock held
     * @throws DatabaseException                               a lock not taken within the retries, a database failure
     */
    public ChangelogResult run(ChangelogPhase phase, Changelog changelog) {
        return underRunLock(changelog, (connection, failures) -> runLocked(phase, changelog, connection, failures));
    }

    /** Liquibase work on the changelog, in a Liquibase scope that finds its files, under Tandem's run lock. */
    private <T> T underRunLock(Changelog changelog, LiquibaseWork<T> work) {
        return tandem.underRunLock((connection, failures) -> {
            try {
                return Scope.child(scope(changelog), () -> work.run(connection, failures));
            } catch (TandemException | SQLException e) {
                throw e;
            } catch (Exception e) {
                throw failure(changelog, e);
            }
        });
    }

    private interface LiquibaseWork<T> {
        T run(Connection connection, SqlFailures failures) throws Exception;
    }

    private ChangelogResult runLocked(ChangelogPhase phase, Changelog changelog, Connection connection,
                                      SqlFailures failures) throws LiquibaseException, SQLException {
        Database database = database(connection);
        DatabaseChangeLog parsed = parse(changelog, database);
        LabelledChangeSets sets = LabelledChangeSets.of(parsed, ranChangeSets(database));
        validate(parsed, database, changelog);
        sets.requireRunBefore(phase, changelog.path());
        List<ChangeSet> pending = sets.pending(phase);
        if (!pending.isEmpty()) {
            update(phase, changelog, database, failures);
        }
        List<RanChangeSet> nowRan = ranChangeSets(database);
        List<ChangelogPhase> covered = new ArrayList<>(phase.requires());
        covered.add(phase);
        recordInState(connection, state -> {
            for (ChangelogPhase each : covered) {
                for (RanChangeSet ran : sets.applied(each, nowRan)) {
                    state.recordChangeSet(connection, config.schema(), changelog.path(), ran.getChangeLog(),
                            ran.getId(), ran.getAuthor(), each.label(), String.valueOf(ran.getLastCheckSum()));
                }
            }
            if (!pending.isEmpty()) {
                state.recordPhase(connection, config.schema(), changelog.path(), phase.done());
            }
        });
        return new ChangelogResult(changelog.path(), phase,
                pending.stream().map(LabelledChangeSets::describe).toList());
    }

    /**
     * Adopts a database whose schema already holds the changelog's history (made by hand, say, or restored without
     * DATABASECHANGELOG): marks the changesets without a phase label as run without running them (Liquibase's
     * changelog-sync), under the run lock, and records {@code baseline}. Phase-labelled changesets are left to
     * expand, backfill and contract. Returns the changesets it marked.
     */
    public List<String> baseline(Changelog changelog) {
        return underRunLock(changelog, (connection, failures) -> baselineLocked(changelog, connection));
    }

    /**
     * Runs the changesets without a phase label that have not run, as plain {@code liquibase update} would: the
     * history a scratch database needs before the phases can be checked on it.
     */
    void history(Changelog changelog) {
        underRunLock(changelog, (connection, failures) -> {
            new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database(connection))
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog.path())
                    .addArgumentValue(UpdateCommandStep.LABEL_FILTER_ARG, UNLABELLED)
                    .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                    .execute();
            return null;
        });
    }

    /** The schema the changesets run in. */
    String schema() {
        return config.schema();
    }

    private List<String> baselineLocked(Changelog changelog, Connection connection) throws Exception {
        Database database = database(connection);
        List<String> history = LabelledChangeSets.unlabelledPending(parse(changelog, database),
                ranChangeSets(database)).stream().map(LabelledChangeSets::describe).toList();
        if (!history.isEmpty()) {
            new CommandScope(ChangelogSyncCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, changelog.path())
                    .addArgumentValue(DatabaseChangelogCommandStep.LABEL_FILTER_ARG, UNLABELLED)
                    .execute();
        }
        recordInState(connection,
                state -> state.recordPhase(connection, config.schema(), changelog.path(), BASELINE));
        return history;
    }

    /**
     * Rolls back the expand and backfill changesets that ran, newest first, with their rollback blocks
     * (Liquibase's rollback-count scoped by the labels), under the run lock and with the same lock timeout and
     * retries as the phases. Refused, with nothing rolled back, once a contract changeset ran or when one of them
     * cannot be rolled back. Returns the changesets it rolled back.
     *
     * @throws StateConflictException a contract changeset ran, a changed applied changeset, the run lock held
     * @throws InvalidMigrationException a changeset to roll back has no rollback block Liquibase can use
     */
    public List<String> rollback(Changelog changelog) {
        return underRunLock(changelog, (connection, failures) -> rollbackLocked(changelog, connection, failures));
    }

    private List<String> rollbackLocked(Changelog changelog, Connection connection, SqlFailures failures)
            throws Exception {
        Database database = database(connection);
        DatabaseChangeLog parsed = parse(changelog, database);
        List<RanChangeSet> ran = ranChangeSets(database);
        LabelledChangeSets sets = LabelledChangeSets.of(parsed, ran);
        validate(parsed, database, changelog);
        List<String> contracted = sets.ran(ChangelogPhase.CONTRACT).stream().map(LabelledChangeSets::describe).toList();
        if (!contracted.isEmpty()) {
            throw new StateConflictException(changelog.path() + ": rollback refused: contract changesets ran ("
                    + String.join(", ", contracted) + "), so the old version's columns and tables may be gone. "
                    + "Write new changesets that undo the change instead; nothing was rolled back");
        }
        List<ChangeSet> undo = new ArrayList<>(sets.ran(ChangelogPhase.EXPAND));
        undo.addAll(sets.ran(ChangelogPhase.BACKFILL));
        List<String> impossible = undo.stream().filter(c -> !c.supportsRollback(database))
                .map(LabelledChangeSets::describe).toList();
        if (!impossible.isEmpty()) {
            throw new InvalidMigrationException(changelog.path() + ": rollback refused: no rollback block for "
                    + String.join(", ", impossible) + " (Liquibase cannot undo sql changes by itself); add "
                    + "<rollback> to them; nothing was rolled back");
        }
        if (!undo.isEmpty()) {
            withRetries("rollback", "rolled back", changelog, failures, () -> new CommandScope(
                    RollbackCountCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, changelog.path())
                    .addArgumentValue(DatabaseChangelogCommandStep.LABEL_FILTER_ARG, "@expand or @backfill")
                    .addArgumentValue(RollbackCountCommandStep.COUNT_ARG, undo.size())
                    .execute());
        }
        recordInState(connection, state -> {
            state.forgetChangeSets(connection, config.schema(), changelog.path());
            state.recordPhase(connection, config.schema(), changelog.path(), ROLLED_BACK);
        });
        return undo.stream().map(LabelledChangeSets::describe).toList();
    }

    /**
     * Every changeset of the changelog with its phase label, whether DATABASECHANGELOG has it as run and whether
     * Tandem's state records it, and the phase Tandem records for the changelog. Takes no lock.
     */
    public ChangelogStatus status(Changelog changelog, DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return Scope.child(scope(changelog), () -> {
                Database database = database(connection);
                DatabaseChangeLog parsed = parse(changelog, database);
                List<RanChangeSet> ran = ranChangeSets(database);
                ChangelogRecords state = new ChangelogRecords(StateSchema.on(connection, config.stateSchema(), 0));
                Map<String, String> recorded = state.recordedChangeSets(connection, config.schema());
                List<ChangelogStatus.Entry> entries = new ArrayList<>();
                for (ChangeSet changeSet : parsed.getChangeSets()) {
                    List<ChangelogPhase> phases = LabelledChangeSets.phasesOf(changeSet.getLabels());
                    String describe = LabelledChangeSets.describe(changeSet);
                    entries.add(new ChangelogStatus.Entry(describe, phases.stream().map(ChangelogPhase::label)
                            .collect(Collectors.joining(",")), ran.stream().anyMatch(r -> r.isSameAs(changeSet)),
                            recorded.get(describe)));
                }
                return new ChangelogStatus(changelog.path(), state.phase(connection, config.schema(),
                        changelog.path()), entries);
            });
        } catch (TandemException e) {
            throw e;
        } catch (Exception e) {
            throw failure(changelog, e);
        }
    }

    /**
     * DATABASECHANGELOG as it is now. Liquibase caches it per connection, and another run (or Liquibase itself)
     * may have changed it since this connection last read it.
     */
    private static List<RanChangeSet> ranChangeSets(Database database) throws LiquibaseException {
        Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).resetAll();
        return database.getRanChangeSetList();
    }

    static DatabaseChangeLog parse(Changelog changelog, Database database) throws LiquibaseException {
        return ChangeLogParserFactory.getInstance().getParser(changelog.path(), changelog.resources())
                .parse(changelog.path(), new ChangeLogParameters(database), changelog.resources());
    }

    /** Liquibase's own check of the whole changelog, without filters: a changed applied changeset stops any phase. */
    private static void validate(DatabaseChangeLog parsed, Database database, Changelog changelog)
            throws LiquibaseException {
        try {
            parsed.validate(database, new Contexts(), new LabelExpression());
        } catch (ValidationFailedException e) {
            throw new StateConflictException(changelog.path() + ": Liquibase refuses the changelog; nothing was "
                    + "applied. An applied changeset must not change (add a new changeset instead). "
                    + e.getMessage().strip());
        }
    }

    private void update(ChangelogPhase phase, Changelog changelog, Database database, SqlFailures failures)
            throws LiquibaseException {
        withRetries(phase.label(), "applied", changelog, failures, () -> new CommandScope(
                UpdateCommandStep.COMMAND_NAME)
                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog.path())
                // '@' also excludes changesets without labels (they all ran already, see LabelledChangeSets)
                .addArgumentValue(UpdateCommandStep.LABEL_FILTER_ARG, "@" + phase.label())
                .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                .execute());
    }

    /**
     * Runs a Liquibase command, again after a back-off when a changeset met a lock timeout or deadlock (that
     * changeset's transaction rolled back; those before it stay done), up to the configured retries.
     */
    private void withRetries(String command, String done, Changelog changelog, SqlFailures failures,
                             LiquibaseCommand run)
            throws LiquibaseException {
        for (int attempt = 0; ; attempt++) {
            try {
                run.execute();
                return;
            } catch (LiquibaseException e) {
                SQLException cause = sqlCause(e);
                if (cause == null || !failures.isRetryable(cause)) {
                    throw updateFailure(command, done, changelog, e, cause, failures);
                }
                if (attempt >= config.lockRetries()) {
                    throw new DatabaseException(changelog.path() + ": " + command + " could not take a lock "
                            + "within " + config.lockTimeout().toMillis() + " ms, " + (attempt + 1) + " attempt(s) ("
                            + cause.getMessage().strip() + "). The changesets " + done + " before it stay " + done
                            + "; run migrate " + command + " again once the blocker is gone, or raise --lock-timeout "
                            + "/ --lock-retries", cause);
                }
                Retry.pause(Retry.delay(attempt, config.retryBaseDelay(), config.retryMaxDelay()));
            }
        }
    }

    private interface LiquibaseCommand {
        void execute() throws LiquibaseException;
    }

    /** A changeset failed for good: those before it stay applied, and the same command continues with it. */
    private static TandemException updateFailure(String command, String done, Changelog changelog,
                                                 LiquibaseException e, SQLException cause, SqlFailures failures) {
        String message = changelog.path() + ": " + command + " failed: " + failedChangeSet(e) + ". The changesets "
                + done + " before the failing one stay " + done + " (Liquibase runs each in its own transaction); "
                + "fix the cause and run migrate " + command + " again to continue";
        if (cause == null || failures.isBadInput(cause)) {
            return new InvalidMigrationException(message, e);
        }
        return new DatabaseException(message, cause);
    }

    /** Liquibase's own words on the changeset that failed: its name, the reason and the failed SQL. */
    private static String failedChangeSet(LiquibaseException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MigrationFailedException) {
                return cause.getMessage().strip().replaceAll("\\s+", " ");
            }
        }
        return message(e);
    }

    /** One transaction on the state tables, created or upgraded first if need be. */
    private void recordInState(Connection connection, StateWrite write) throws SQLException {
        StateSchema state = StateSchema.on(connection, config.stateSchema(), 0);
        connection.setAutoCommit(false);
        try {
            state.install(connection);
        } catch (NewerLayoutException e) {
            throw new StateConflictException(e.getMessage());
        }
        if (!state.has(connection, StateSchema.LIQUIBASE_CHANGESETS)) {
            state.createChangelogRecords(connection);
        }
        write.run(new ChangelogRecords(state));
        connection.commit();
        connection.setAutoCommit(true);
    }

    private interface StateWrite {
        void run(ChangelogRecords state) throws SQLException;
    }

    private Database database(Connection connection) throws LiquibaseException {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                new JdbcConnection(connection));
        if (!(database instanceof PostgresDatabase || database instanceof MariaDBDatabase)) {
            throw new UnsupportedDatabaseException("Tandem runs Liquibase changelogs on PostgreSQL and MariaDB, not on "
                    + database.getDatabaseProductName());
        }
        if (database instanceof PostgresDatabase) {
            database.setDefaultSchemaName(config.schema());
        } else {
            database.setDefaultCatalogName(config.schema()); // MariaDB: the schema is a database, Liquibase's catalog
        }
        return database;
    }

    static Map<String, Object> scope(Changelog changelog) {
        return Map.of(Scope.Attr.resourceAccessor.name(), changelog.resources(),
                // Liquibase's messages go to its log, not to stdout (the CLI may be printing JSON there)
                Scope.Attr.ui.name(), new LoggerUIService(),
                "liquibase.analytics.enabled", false);
    }

    private static SQLException sqlCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                return (SQLException) cause;
            }
        }
        return null;
    }

    /** A failure before any changeset ran: reading the changelog or DATABASECHANGELOG. */
    private static TandemException failure(Changelog changelog, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TandemException) {
                return (TandemException) cause;
            }
        }
        String message = changelog.path() + ": " + message(e) + "; nothing was applied";
        SQLException sql = sqlCause(e);
        return sql != null ? new DatabaseException(message, sql) : new InvalidMigrationException(message, e);
    }

    /** The innermost message: Liquibase wraps one failure several times, each repeating it with a prefix. */
    static String message(Throwable failure) {
        Throwable innermost = failure;
        while (innermost.getCause() != null && innermost.getCause().getMessage() != null) {
            innermost = innermost.getCause();
        }
        return String.valueOf(innermost.getMessage()).strip();
    }
}
