package dev.tandem.coordinator;

import dev.tandem.coordinator.internal.lifecycle.Commands;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationDirectory;
import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.Phase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The phase engine's entry point: expand, backfill, contract, rollback, status and plan for one schema.
 * Each call takes the run lock of the schema, so two runs at once are serialized, and each is idempotent:
 * calling it again after a crash continues where the first stopped. Which phase allows which command is
 * decided in one table (see docs/architecture.md, "Lifecycle"); a refused command throws
 * {@link StateConflictException} saying what to run instead. Every {@link TandemException} a command throws names
 * the migration, the phase and, once one started, the step.
 */
public final class Tandem {
    /** The version name of a schema no migration has changed, as application instances report it. */
    public static final String BASE_VERSION = "base";

    private final TandemConfig config;
    private final Commands commands;

    private Tandem(DataSource dataSource, TandemConfig config) {
        this.config = config;
        this.commands = new Commands(dataSource, config);
    }

    public static Tandem create(DataSource dataSource, TandemConfig config) {
        return new Tandem(Objects.requireNonNull(dataSource, "dataSource"), Objects.requireNonNull(config, "config"));
    }

    public TandemConfig config() {
        return config;
    }

    /** What each phase of {@code migration} would run. Changes nothing, not even Tandem's state tables. */
    public PlanReport plan(Migration migration) {
        return commands.plan(migration);
    }

    /**
     * Adds what the new version needs without breaking the old one. Refused input, or a right the session lacks,
     * changes nothing, Tandem's state included; bad data found while it runs makes expand undo its own steps.
     */
    public PhaseResult expand(Migration migration) {
        return commands.expand(migration);
    }

    /**
     * Fills new columns of existing rows in batches; continues from the last checkpoint. Holds the run lock
     * shared, so backfills in other processes may join in while expand, contract and rollback must wait.
     */
    public PhaseResult backfill(String name, BackfillListener listener) {
        return commands.backfill(name, listener);
    }

    /**
     * Steers the migration's backfills in every process from here: {@code change} turns the control as saved into
     * the new one (pause, resume, maximum rate, workers). Their workers read it before each batch. Recorded in the
     * history; takes no run lock, so it works while a backfill runs. Returns the control as saved.
     */
    public BackfillControl control(String name, UnaryOperator<BackfillControl> change) {
        return commands.control(name, change);
    }

    /**
     * Removes the old shape. Only after backfill is complete, and while no application instance of the old
     * version has sent a heartbeat within the {@link TandemConfig#instanceTtl() instance TTL}; never undone by
     * rollback.
     */
    public PhaseResult contract(String name) {
        return contract(name, InstanceCheck.ENFORCE);
    }

    /**
     * Like {@link #contract(String)}; with {@link InstanceCheck#FORCE}, contract also starts while instances of the
     * old version look alive (their hosts are gone, say, and their rows not yet expired), and the phase history
     * records that it was forced and past which instances.
     */
    public PhaseResult contract(String name, InstanceCheck check) {
        return commands.contract(name, Objects.requireNonNull(check, "check"), false);
    }

    /**
     * Like {@link #contract(String, InstanceCheck)}, after contracting first, in order, each migration in flight that
     * it is stacked on and that changes a table it changes (which would otherwise refuse the contract).
     */
    public PhaseResult contractCascading(String name, InstanceCheck check) {
        return commands.contract(name, Objects.requireNonNull(check, "check"), true);
    }

    /**
     * The migrations {@link #contractCascading} contracts before {@code name}, in that order; empty when a plain
     * contract of {@code name} would not be refused for the order of the stack.
     */
    public List<String> contractedBefore(String name) {
        return commands.cascade(name, true);
    }

    /**
     * Contract that keeps the old shape: only the old version's schema of views is dropped; the tables, their old
     * columns and the sync triggers stay, so {@link #revert(String)} can bring the old version back with every write
     * made meanwhile, and {@link #purge(String, InstanceCheck)} finishes the contract. Checked as contract is.
     */
    public PhaseResult contractKeeping(String name, InstanceCheck check) {
        return commands.keep(name, Objects.requireNonNull(check, "check"));
    }

    /** Brings back the old version of a contract kept by {@link #contractKeeping}; both versions run again. */
    public PhaseResult revert(String name) {
        return commands.revert(name);
    }

    /** Finishes a contract kept by {@link #contractKeeping}: drops the old shape as contract does. */
    public PhaseResult purge(String name, InstanceCheck check) {
        return commands.purge(name, Objects.requireNonNull(check, "check"));
    }

    /**
     * Checks the backfilled tables on their data: rows that still need backfill, and rows whose target
     * differs from up(row). All rows when {@code sample} is 0, else about {@code sample} random rows per table.
     */
    public List<TableCheck> verify(String name, long sample) {
        return commands.verify(name, sample);
    }

    /**
     * Removes everything expand and backfill added; possible until contract has changed the tables. Refused
     * while an application instance of the migration's version (the new one, which rollback removes) has sent a
     * heartbeat within the {@link TandemConfig#instanceTtl() instance TTL}.
     */
    public PhaseResult rollback(String name) {
        return rollback(name, InstanceCheck.ENFORCE);
    }

    /**
     * Like {@link #rollback(String)}; with {@link InstanceCheck#FORCE}, rollback also starts while instances of the
     * new version look alive, and the phase history records that it was forced and past which instances. A
     * rollback that was interrupted continues without the check: new-version instances cannot start once it has
     * begun.
     */
    public PhaseResult rollback(String name, InstanceCheck check) {
        return commands.rollback(name, Objects.requireNonNull(check, "check"), false);
    }

    /**
     * Like {@link #rollback(String, InstanceCheck)}, after rolling back first, top of the stack first, each migration
     * in flight stacked on this one that changes a table it changes (which would otherwise refuse the rollback).
     */
    public PhaseResult rollbackCascading(String name, InstanceCheck check) {
        return commands.rollback(name, Objects.requireNonNull(check, "check"), true);
    }

    /** The migrations {@link #rollbackCascading} rolls back before {@code name}, top of the stack first. */
    public List<String> rolledBackBefore(String name) {
        return commands.cascade(name, false);
    }

    /**
     * Runs {@code work} for a tool that changes the schema itself (Liquibase, say) the way Tandem runs its own
     * phases: on one connection holding the schema's run lock, with the state tables installed and the session's
     * lock_timeout set to {@link TandemConfig#lockTimeout()} (reset afterwards, as the connection goes back to
     * its pool). Unlike a phase, {@code work} is not run again when its session is lost: it is the tool's to
     * resume.
     */
    public <T> T underRunLock(LockedWork<T> work) {
        return commands.underRunLock(work);
    }

    /** Work done under the run lock; {@code failures} tells lock timeouts and deadlocks from other failures. */
    public interface LockedWork<T> {
        T run(Connection connection, SqlFailures failures) throws SQLException;
    }

    /** Every migration recorded for the schema, oldest first. */
    public List<MigrationStatus> status() {
        return commands.status();
    }

    /**
     * The migrations of {@code directory} against what the schema's state records: applied, in flight, pending or
     * edited, and which phase runs next ({@link DirectoryStatus#next}). Reads only, without the run lock.
     */
    public DirectoryStatus pending(MigrationDirectory directory) {
        return commands.directory(Objects.requireNonNull(directory, "directory"));
    }

    /**
     * Runs {@code step}, one phase of a directory's migration, as {@link #expand}, {@link #backfill} or
     * {@link #contract} would.
     */
    public PhaseResult run(DirectoryStatus.Step step, BackfillListener listener, InstanceCheck check) {
        String name = step.migration().name();
        return switch (step.phase()) {
            case EXPAND -> expand(step.migration());
            case BACKFILL -> backfill(name, listener);
            case CONTRACT -> contract(name, check);
            case KEEP -> contractKeeping(name, check);
            case REVERT -> revert(name);
            case ROLLBACK -> rollback(name, check);
        };
    }

    /**
     * Application instances whose heartbeat is at most {@link TandemConfig#instanceTtl() TTL} old, by the
     * version they run (a migration's name, or {@link #BASE_VERSION}), versions in name order.
     */
    public Map<String, List<LiveInstance>> liveInstances() {
        return commands.liveInstances();
    }

    /** The migration a phase command acts on when none is named: the one in flight, or the latest. */
    public Optional<String> currentMigration() {
        List<MigrationStatus> all = status();
        return all.stream().filter(s -> Phase.of(s.phase()).active()).map(MigrationStatus::name).findFirst()
                .or(() -> all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).name()));
    }
}
