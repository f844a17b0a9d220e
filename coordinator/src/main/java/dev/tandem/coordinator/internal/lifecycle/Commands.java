package dev.tandem.coordinator.internal.lifecycle;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.DirectoryStatus;
import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.PlanReport;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.TableCheck;
import dev.tandem.coordinator.TandemException;
import dev.tandem.coordinator.internal.backfill.Backfiller;
import dev.tandem.coordinator.internal.backfill.ControlChange;
import dev.tandem.coordinator.internal.backfill.Verifier;
import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.engine.Action;
import dev.tandem.coordinator.internal.engine.PhasePlan;
import dev.tandem.coordinator.internal.engine.PlanBuilder;
import dev.tandem.coordinator.internal.engine.Stacking;
import dev.tandem.coordinator.internal.engine.StepRunner;
import dev.tandem.coordinator.internal.lifecycle.Lifecycle.Command;
import dev.tandem.coordinator.internal.lifecycle.Lifecycle.Decision;
import dev.tandem.coordinator.internal.lifecycle.Lifecycle.Verdict;
import dev.tandem.coordinator.internal.operation.MoveColumn;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationDirectory;
import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.coordinator.state.VersionStatus;
import dev.tandem.state.VersionStack;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.sql.DataSource;

/** What each of {@link Tandem}'s commands does, within the {@link Lifecycle} and on the {@link Run} it opens. */
public final class Commands {
    private final Runs runs;
    private final TandemConfig config;

    public Commands(DataSource dataSource, TandemConfig config) {
        this.runs = new Runs(dataSource, config);
        this.config = config;
    }

    public PlanReport plan(Migration migration) {
        return runs.read(run -> {
            PlanBuilder builder = null;
            String previous = null;
            boolean installed = run.store().installed(run.connection());
            if (installed) {
                Optional<MigrationRecord> record = run.store().find(run.connection(), run.schema(), migration.name());
                if (record.isPresent() && record.get().phase() != Phase.ROLLED_BACK) {
                    builder = run.plan(record.get());
                    previous = record.get().previousVersionSchema();
                } else {
                    previous = run.previousVersionSchema();
                }
            }
            if (builder == null) {
                builder = installed ? run.plan(migration, run.readCatalog())
                        : run.plan(migration, run.readCatalog(), null, Stacking.NONE);
            }
            return new PlanReport(migration.name(), config.schema(), builder.versionSchema(), previous,
                    builder.expand().planned(), builder.backfillTargets().stream().map(BackfillTarget::planned).toList(),
                    builder.finishBackfill().planned(), builder.contract().planned(), builder.rollback().planned());
        });
    }

    public PhaseResult expand(Migration migration) {
        String name = migration.name();
        FreshPlan fresh = new FreshPlan(migration);
        // refused input, or a right the session lacks, changes nothing, Tandem's state included
        Runs.BeforeInstall beforeInstall = run -> check(run, fresh.from(run, run.readCatalog(), false));
        return runs.phase(PhaseKind.EXPAND, name, beforeInstall, run -> {
            Connection c = run.connection();
            Optional<MigrationRecord> existing = run.store().find(c, run.schema(), name);
            Phase phase = existing.map(MigrationRecord::phase).orElse(Phase.ROLLED_BACK);
            if (existing.isPresent() && phase != Phase.ROLLED_BACK
                    && !existing.get().checksum().equals(migration.checksum())) {
                throw new StateConflictException(migration.source() + ": migration '" + name
                        + "' was applied from a file with different content (recorded from " + existing.get().source()
                        + "); an applied migration's file must not change: write a new migration instead");
            }
            Decision decision = Lifecycle.allow(Command.EXPAND, name, phase);
            if (decision.verdict() == Verdict.DONE) {
                requireCatalogOf(run, existing.orElseThrow());
                return done(name, phase, decision);
            }
            boolean starts = decision.verdict() == Verdict.START;
            MigrationRecord record;
            PlanBuilder builder;
            if (starts) {
                requireStackable(run, name);
                CatalogSnapshot snapshot = run.readCatalog();
                String previous = run.previousVersionSchema();
                builder = fresh.from(run, snapshot, true);
                check(run, builder);
                record = new MigrationRecord(config.schema(), name, migration.source(), migration.checksum(),
                        Phase.EXPANDING, fresh.definition(), Run.json(snapshot), builder.versionSchema(), previous,
                        null, null);
                run.store().save(c, record, "expand started", migration.source());
            } else {
                record = existing.orElseThrow();
                builder = run.plan(record);
            }
            StepRunner runner = run.runner(record);
            int statements;
            try {
                statements = runner.run(builder.expand());
            } catch (InvalidMigrationException e) {
                // the input itself is wrong (duplicate rows for a unique index, say): undo what committed. Without
                // transactional DDL even the failed step may have committed some of its statements.
                boolean applied = runner.completedSteps() > 0 || !starts || !run.dialect().transactionalDdl();
                if (applied) {
                    run.runner(record).run(builder.rollback());
                }
                run.store().delete(c, config.schema(), name);
                throw new InvalidMigrationException(e.getMessage() + (applied
                        ? "; the steps expand had completed were rolled back, nothing is left of it" : ""), e)
                        .within(null, null, e.step().orElse(null));
            } catch (RuntimeException e) {
                if (starts && runner.completedSteps() == 0) {
                    try {
                        run.store().delete(c, config.schema(), name);
                    } catch (SQLException | RuntimeException cleanup) {
                        // the pool closes a connection after some errors (0A000, say): the failure is what counts,
                        // and the record left behind is that of an expand to continue or roll back
                        e.addSuppressed(cleanup);
                    }
                }
                throw e;
            }
            run.store().setPhase(c, config.schema(), name, Phase.EXPANDED, "expanded", null);
            return new PhaseResult(name, Phase.EXPANDED.label(), "expanded", statements, 0);
        });
    }

    public PhaseResult backfill(String name, BackfillListener listener) {
        return runs.phase(PhaseKind.BACKFILL, name, run -> {
            MigrationRecord record = run.require(name);
            Decision decision = Lifecycle.allow(Command.BACKFILL, name, record.phase());
            if (decision.verdict() == Verdict.DONE) {
                return done(name, record.phase(), decision);
            }
            List<BackfillTarget> targets = run.plan(record).backfillTargets();
            requireBackfilledBelow(run, record, targets);
            long rows = new Backfiller(run.dialect(), run.dialect().batchStatements(), run.store(), config,
                    run.dataSource(), run.connection(), name).run(targets, listener);
            PhasePlan finish = run.plan(record).finishBackfill();
            if (!finish.main().isEmpty()) {
                // each of its statements may be repeated: it runs whole after every backfill
                run.store().forgetSteps(run.connection(), config.schema(), name, PhaseKind.BACKFILL);
                run.runner(record).run(finish);
            }
            run.store().setPhase(run.connection(), config.schema(), name, Phase.EXPANDED, "backfilled", rows + " rows");
            return new PhaseResult(name, Phase.EXPANDED.label(), targets.isEmpty() ? "nothing to backfill"
                    : "backfilled", 0, rows);
        });
    }

    public BackfillControl control(String name, UnaryOperator<BackfillControl> change) {
        return runs.withConnection(c -> ControlChange.apply(c, config, name, change));
    }

    /**
     * @param cascade contract first, in order, each migration in flight below this one that changes a table it
     *                changes; otherwise such a migration refuses the contract, named
     */
    public PhaseResult contract(String name, InstanceCheck check, boolean cascade) {
        if (cascade) {
            for (String first : cascade(name, true)) {
                contract(Command.CONTRACT, first, check);
            }
        }
        return contract(Command.CONTRACT, name, check);
    }

    /**
     * The migrations in flight that a cascading contract ({@code contract} true) or rollback of {@code name} runs
     * first, in the order it runs them.
     */
    public List<String> cascade(String name, boolean contract) {
        return runs.read(run -> StackOrder.before(run, name, contract));
    }

    /** Contract from {@link Phase#CONTRACTED_KEPT}: drops the kept old shape. */
    public PhaseResult purge(String name, InstanceCheck check) {
        return contract(Command.PURGE, name, check);
    }

    private PhaseResult contract(Command command, String name, InstanceCheck check) {
        return runs.phase(PhaseKind.CONTRACT, name, run -> {
            MigrationRecord record = run.require(name);
            Decision decision = Lifecycle.allow(command, name, record.phase());
            if (decision.verdict() == Verdict.DONE) {
                requireCatalogOf(run, record);
                return done(name, record.phase(), decision);
            }
            PlanBuilder builder = run.plan(record);
            requireBackfillDone(run, builder.backfillTargets(), name);
            requireNothingDependsOnDrops(run, builder, name);
            if (decision.verdict() == Verdict.START) {
                StackOrder.require(run, record, true);
                requireNothingPending(run, builder.backfillTargets(), name);
                new InstanceGate(run).startContract(record, check);
            }
            int statements = run.runner(record).run(builder.contract());
            run.store().setPhase(run.connection(), config.schema(), name, Phase.COMPLETE, "complete", null);
            return new PhaseResult(name, Phase.COMPLETE.label(), "contracted", statements, 0);
        });
    }

    /**
     * Contract that keeps the old shape: passes contract's checks, then drops only the old version's views (see
     * {@link ReversibleContract}).
     */
    public PhaseResult keep(String name, InstanceCheck check) {
        return runs.phase(PhaseKind.KEEP, name, run -> {
            MigrationRecord record = run.require(name);
            Decision decision = Lifecycle.allow(Command.KEEP, name, record.phase());
            PlanBuilder builder = run.plan(record);
            if (decision.verdict() == Verdict.START) {
                requireBackfillDone(run, builder.backfillTargets(), name);
                requireNothingPending(run, builder.backfillTargets(), name);
                new InstanceGate(run).startKeep(record, check);
            }
            return new ReversibleContract(run, record, builder).keep();
        });
    }

    /** Brings back the old version of a kept contract, with every write the new version made meanwhile. */
    public PhaseResult revert(String name) {
        return runs.phase(PhaseKind.REVERT, name, run -> {
            MigrationRecord record = run.require(name);
            Decision decision = Lifecycle.allow(Command.REVERT, name, record.phase());
            if (decision.verdict() == Verdict.DONE) {
                return done(name, record.phase(), decision);
            }
            return new ReversibleContract(run, record, run.plan(record)).revert();
        });
    }

    /**
     * @param cascade roll back first, top of the stack first, each migration in flight stacked on this one that
     *                changes a table it changes; otherwise such a migration refuses the rollback, named
     */
    public PhaseResult rollback(String name, InstanceCheck check, boolean cascade) {
        if (cascade) {
            for (String first : cascade(name, false)) {
                rollback(first, check);
            }
        }
        return rollback(name, check);
    }

    private PhaseResult rollback(String name, InstanceCheck check) {
        return runs.phase(PhaseKind.ROLLBACK, name, run -> {
            Connection c = run.connection();
            MigrationRecord record = run.require(name);
            Decision decision = Lifecycle.allow(Command.ROLLBACK, name, record.phase());
            if (decision.verdict() == Verdict.DONE) {
                return done(name, record.phase(), decision);
            }
            if (decision.verdict() == Verdict.RESUME) {
                // new-version instances cannot start once rollback has begun: it continues without the gate
                run.store().setPhase(c, config.schema(), name, Phase.ROLLING_BACK, "rollback started", null);
            } else {
                StackOrder.require(run, record, false);
                new InstanceGate(run).startRollback(record, check);
            }
            int statements = run.runner(record).run(run.plan(record).rollback());
            run.store().clearProgress(c, config.schema(), name);
            run.store().setPhase(c, config.schema(), name, Phase.ROLLED_BACK, "rolled back", null);
            return new PhaseResult(name, Phase.ROLLED_BACK.label(), "rolled back", statements, 0);
        });
    }

    public List<TableCheck> verify(String name, long sample) {
        try {
            return runs.read(run -> {
                if (!run.store().installed(run.connection())) {
                    throw new StateConflictException("no migration named '" + name + "' has been expanded on schema '"
                            + config.schema() + "'");
                }
                MigrationRecord record = run.require(name);
                Lifecycle.allow(Command.VERIFY, name, record.phase());
                Verifier verifier = new Verifier(run.dialect().batchStatements(), run.connection(), config.schema());
                List<TableCheck> checks = new ArrayList<>();
                for (BackfillTarget target : run.plan(record).backfillTargets()) {
                    checks.add(verifier.check(target, sample));
                }
                return checks;
            });
        } catch (TandemException e) {
            throw e.within(name, PhaseKind.BACKFILL, null);
        }
    }

    public <T> T underRunLock(Tandem.LockedWork<T> work) {
        return runs.underRunLock(run -> {
            Connection connection = run.connection();
            run.dialect().setLockTimeout(connection, config.lockTimeout(), false);
            try {
                return work.run(connection, run.dialect());
            } finally {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
                run.dialect().setLockTimeout(connection, Duration.ZERO, false);
            }
        });
    }

    public List<MigrationStatus> status() {
        return runs.read(run -> {
            List<MigrationStatus> statuses = new ArrayList<>();
            if (!run.store().installed(run.connection())) {
                return statuses;
            }
            Connection c = run.connection();
            VersionStack stack = run.store().versions(c, run.schema());
            Map<String, List<LiveInstance>> live = liveInstances(run);
            for (MigrationRecord r : run.all()) {
                List<String> pending = r.phase() == Phase.EXPANDED || r.phase() == Phase.EXPANDING
                        ? pendingBackfill(run, run.plan(r).backfillTargets(), r.name()) : List.of();
                statuses.add(new MigrationStatus(r.name(), r.targetSchema(), r.phase().label(), r.source(),
                        r.versionSchema(), r.previousVersionSchema(), pending.isEmpty(),
                        run.store().backfill(c, r.targetSchema(), r.name()), pending, r.createdAt(), r.updatedAt(),
                        run.store().history(c, r.targetSchema(), r.name()),
                        run.store().control(c, r.targetSchema(), r.name()),
                        r.phase().active() ? versions(stack, r.name(), live) : List.of()));
            }
            return statuses;
        });
    }

    /** The checksum of each migration the schema's state records, rolled-back ones excepted, by name. */
    public Map<String, String> recordedChecksums() {
        return runs.read(run -> {
            Map<String, String> checksums = new LinkedHashMap<>();
            if (run.store().installed(run.connection())) {
                run.all().stream().filter(record -> record.phase() != Phase.ROLLED_BACK)
                        .forEach(record -> checksums.put(record.name(), record.checksum()));
            }
            return checksums;
        });
    }

    public DirectoryStatus directory(MigrationDirectory directory) {
        return runs.read(run -> {
            Map<String, MigrationRecord> records = new LinkedHashMap<>();
            Set<String> backfilled = new HashSet<>();
            if (run.store().installed(run.connection())) {
                for (MigrationRecord record : run.all()) {
                    records.put(record.name(), record);
                    // a rolled-back migration is pending again, and one stacked on another may no longer plan
                    if (record.phase() != Phase.ROLLED_BACK
                            && pendingBackfill(run, run.plan(record).backfillTargets(), record.name()).isEmpty()) {
                        backfilled.add(record.name());
                    }
                }
            }
            return DirectorySteps.status(config.schema(), directory, records, backfilled);
        });
    }

    public Map<String, List<LiveInstance>> liveInstances() {
        return runs.read(this::liveInstances);
    }

    private Map<String, List<LiveInstance>> liveInstances(Run run) throws SQLException {
        Map<String, List<LiveInstance>> byVersion = new LinkedHashMap<>();
        for (LiveInstance instance : run.store().liveInstances(run.connection(), config.schema(),
                config.instanceTtl())) {
            byVersion.computeIfAbsent(instance.version(), v -> new ArrayList<>()).add(instance);
        }
        return byVersion;
    }

    /** The version migration {@code name} builds on and its own, as its status shows them. */
    private static List<VersionStatus> versions(VersionStack stack, String name, Map<String, List<LiveInstance>> live) {
        return stack.version(name).stream()
                .flatMap(own -> Stream.concat(stack.version(own.buildsOn()).stream(), Stream.of(own)))
                .map(v -> versionStatus(v, live)).toList();
    }

    private static VersionStatus versionStatus(VersionStack.Version v, Map<String, List<LiveInstance>> live) {
        return new VersionStatus(v.name(), v.serving().name().toLowerCase(Locale.ROOT), v.role(),
                live.getOrDefault(v.name(), List.of()));
    }

    private static PhaseResult done(String name, Phase phase, Decision decision) {
        return new PhaseResult(name, phase.label(), decision.text(), 0, 0);
    }

    /** The plans of a migration expand starts, built once for the catalog and the previous version they start from. */
    private static final class FreshPlan {
        private final Migration migration;
        private CatalogSnapshot snapshot;
        private boolean stacked;
        private PlanBuilder builder;

        FreshPlan(Migration migration) {
            this.migration = migration;
        }

        /** @param stacked on the migrations in flight (Tandem's state is installed); else on the catalog alone */
        PlanBuilder from(Run run, CatalogSnapshot snapshot, boolean stacked) throws SQLException {
            if (builder == null || !snapshot.equals(this.snapshot) || stacked != this.stacked) {
                builder = stacked ? run.plan(migration, snapshot) : run.plan(migration, snapshot, null, Stacking.NONE);
                this.snapshot = snapshot;
                this.stacked = stacked;
            }
            return builder;
        }

        String definition() {
            return new String(migration.definition(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Refuses, before anything changes, a statement the database cannot run online (bad input), then a right this
     * session lacks for the state or for the migration's statements, naming it.
     */
    private static void check(Run run, PlanBuilder builder) throws SQLException {
        List<Ddl> statements = Stream.of(builder.expand(), builder.contract(), builder.rollback())
                .flatMap(plan -> plan.all().stream()).map(Action::ddl).toList();
        String missing = run.store().missingRight(run.connection());
        if (missing == null) {
            missing = run.dialect().missingRight(run.connection(), run.schema(), statements);
        }
        if (missing != null) {
            throw new DatabaseException(missing);
        }
    }

    /**
     * Refuses, before its statements run, a contract that would drop a column or a table that other objects of the
     * database depend on (a view, a generated column, …): the database would refuse the drop midway, and each run
     * of contract again, until they change.
     */
    private static void requireNothingDependsOnDrops(Run run, PlanBuilder builder, String name) throws SQLException {
        List<String> own = new ArrayList<>(List.of(builder.versionSchema()));
        for (MigrationRecord record : run.all()) {
            own.add(record.versionSchema());
            if (record.previousVersionSchema() != null) {
                own.add(record.previousVersionSchema());
            }
        }
        List<String> blocked = new ArrayList<>();
        for (Action action : builder.contract().all()) {
            TableRef table = action.ddl() instanceof Ddl.DropColumn drop ? drop.table()
                    : action.ddl() instanceof Ddl.DropTable drop ? drop.table() : null;
            String column = action.ddl() instanceof Ddl.DropColumn drop ? drop.column() : null;
            List<String> dependents = table == null ? List.of()
                    : run.dialect().dependents(run.connection(), table, column, own);
            if (!dependents.isEmpty()) {
                blocked.add((column == null ? "table " + table.name() : "column " + table.name() + "." + column)
                        + " (" + action.origin() + ") is used by " + String.join(", ", dependents));
            }
        }
        if (!blocked.isEmpty()) {
            throw new StateConflictException("migration '" + name + "': contract drops what other objects of the"
                    + " database depend on: " + String.join("; ", blocked) + ". Drop them or make them again without"
                    + " it first (and again on the new shape after contract); nothing was changed");
        }
    }

    private static void requireBackfillDone(Run run, List<BackfillTarget> targets, String name) throws SQLException {
        List<String> pending = pendingBackfill(run, targets, name);
        if (!pending.isEmpty()) {
            throw new StateConflictException("migration '" + name + "': backfill is not complete for "
                    + String.join(", ", pending) + "; run backfill first");
        }
    }

    /**
     * A stacked migration's backfill of a table waits for that of the migrations below it on the same table: its
     * values may be computed from theirs.
     */
    private static void requireBackfilledBelow(Run run, MigrationRecord record, List<BackfillTarget> targets)
            throws SQLException {
        Stack stack = Stack.of(run);
        Set<String> tables = new HashSet<>();
        targets.forEach(target -> tables.add(target.table()));
        for (MigrationRecord lower : stack.below(record)) {
            List<BackfillTarget> shared = stack.plan(lower).backfillTargets().stream()
                    .filter(target -> tables.contains(target.table())).toList();
            List<String> pending = pendingBackfill(run, shared, lower.name());
            if (!pending.isEmpty()) {
                throw new StateConflictException("migration '" + record.name() + "' is stacked on '" + lower.name()
                        + "', whose backfill of " + String.join(", ", pending) + " is not complete: backfill '"
                        + lower.name() + "' first (the values of the migration stacked on it may be computed from "
                        + "its own)");
            }
        }
    }

    private static List<String> pendingBackfill(Run run, List<BackfillTarget> targets, String name)
            throws SQLException {
        List<BackfillProgress> progress = run.store().backfill(run.connection(), run.schema(), name);
        List<String> pending = new ArrayList<>();
        for (BackfillTarget target : targets) {
            boolean done = progress.stream().anyMatch(p -> p.table().equals(target.table()) && p.done());
            if (!done) {
                pending.add(target.table());
            }
        }
        return pending;
    }

    /**
     * Contract must not leave a row behind whose new column the backfill would still fill, nor a table copy that lacks
     * a row of its table or holds one the table no longer has. Rows whose filled value differs from up(row) are
     * allowed: the new version writes new columns directly. A copy is first compared with its table by count (see
     * {@link Verifier#copyCounts}); only when that finds a difference, or cannot tell (a key whose type changes
     * hashes differently), is each row looked up, for the keys to name.
     */
    private static void requireNothingPending(Run run, List<BackfillTarget> targets, String name)
            throws SQLException {
        Verifier verifier = new Verifier(run.dialect().batchStatements(), run.connection(), run.schema());
        for (BackfillTarget target : targets) {
            Verifier.CopyCounts counts = target.copyTable() == null ? null : verifier.copyCounts(target);
            if (counts != null && counts.sameKeys()) {
                continue;
            }
            TableCheck check = verifier.check(target, 0);
            if (check.pending() > 0) {
                throw new StateConflictException("migration '" + name + "': " + check.pending() + " rows of table '"
                        + target.table() + "' still need backfill (keys " + String.join(", ", check.pendingKeys())
                        + (check.pending() > check.pendingKeys().size() ? ", ..." : "") + "): their new columns are "
                        + "NULL where up() is not, written so after the backfill passed them. Nothing was changed; "
                        + "set them (migrate backfill --verify lists them) before contract");
            }
            if (counts != null && counts.table() != counts.copy()) {
                throw new StateConflictException("migration '" + name + "': the copy of table '" + target.table()
                        + "' holds " + counts.copy() + " rows where the table holds " + counts.table() + ", every one"
                        + " of which it has: rows deleted from the table behind its triggers' back are still in the"
                        + " copy. Nothing was changed; roll back and expand again");
            }
        }
    }

    /**
     * A migration expands on top of the others in flight (stacked versions), once each of them is expanded: a version
     * is only built on one whose shape is settled.
     */
    private static void requireStackable(Run run, String name) throws SQLException {
        for (MigrationRecord other : run.all()) {
            if (!other.name().equals(name) && other.phase().active() && other.phase() != Phase.EXPANDED) {
                String advice = switch (other.phase()) {
                    case EXPANDING -> "run expand of '" + other.name() + "' again to finish it, or roll it back";
                    case CONTRACTED_KEPT -> "purge or revert it";
                    case ROLLING_BACK -> "run rollback of '" + other.name() + "' again to finish it";
                    default -> "run contract of '" + other.name() + "' again to finish it";
                };
                throw new StateConflictException("migration '" + other.name() + "' is " + other.phase().label()
                        + " on schema '" + run.schema() + "'; a migration expands on top of the others once each is "
                        + "expanded: " + advice + " before expanding '" + name + "'");
            }
        }
    }

    /**
     * Refuses records that are not the schema's own: the latest migration, complete, left the catalog exactly as it
     * was before its expand. That happens on MariaDB, whose state database is server-wide, when a database is
     * dropped and re-created under the same name (or restored from before the migration): it finds its
     * predecessor's records.
     */
    private void requireCatalogOf(Run run, MigrationRecord record) throws SQLException {
        if (record.phase() != Phase.COMPLETE || !changesTables(record)) {
            return;
        }
        List<MigrationRecord> all = run.all();
        boolean latest = all.get(all.size() - 1).name().equals(record.name());
        if (latest && Run.snapshot(record).equals(run.readCatalog())) {
            throw new StateConflictException("migration '" + record.name() + "' is recorded as complete on '"
                    + config.schema() + "' in Tandem's state '" + config.stateSchema() + "', but the catalog of '"
                    + config.schema() + "' is as it was before its expand: these records belong to a database of that "
                    + "name that was dropped and re-created, or restored from before the migration. Remove them from '"
                    + config.stateSchema() + "', or keep this database's state apart with --state-schema");
        }
    }

    /**
     * Whether the migration surely leaves the tables' catalog changed: raw SQL may touch only functions, an
     * altered column only its comment, a column copied to a table that was there already nothing.
     */
    private static boolean changesTables(MigrationRecord record) {
        return Run.migration(record).operations().stream()
                .noneMatch(operation -> operation.kind().equals("sql") || operation.kind().equals("alter_column")
                        || operation instanceof MoveColumn move && move.keepsSource());
    }
}
