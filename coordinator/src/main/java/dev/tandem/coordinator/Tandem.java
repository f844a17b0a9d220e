package dev.tandem.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.internal.backfill.Backfiller;
import dev.tandem.coordinator.internal.backfill.ControlChange;
import dev.tandem.coordinator.internal.backfill.Verifier;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresDialect;
import dev.tandem.coordinator.internal.engine.Action;
import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.engine.PlanBuilder;
import dev.tandem.coordinator.internal.engine.Retry;
import dev.tandem.coordinator.internal.engine.StepRunner;
import dev.tandem.coordinator.internal.lifecycle.ReversibleContract;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.coordinator.internal.state.StateStore;
import dev.tandem.state.DatabaseKind;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The phase engine's entry point: expand, backfill, contract, rollback, status and plan for one schema.
 * Each call takes the run lock of the schema, so two runs at once are serialized, and each is idempotent:
 * calling it again after a crash continues where the first stopped.
 */
public final class Tandem {
    /** The version name of a schema no migration has changed, as application instances report it. */
    public static final String BASE_VERSION = "base";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often a phase whose session was lost starts again on a new connection. */
    private static final int SESSION_RETRIES = 3;

    private final DataSource dataSource;
    private final TandemConfig config;

    private Tandem(DataSource dataSource, TandemConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    public static Tandem create(DataSource dataSource, TandemConfig config) {
        return new Tandem(java.util.Objects.requireNonNull(dataSource, "dataSource"),
                java.util.Objects.requireNonNull(config, "config"));
    }

    public TandemConfig config() {
        return config;
    }

    /** What each phase of {@code migration} would run. Changes nothing, not even Tandem's state tables. */
    public PlanReport plan(Migration migration) {
        return withConnection(c -> {
            Dialect dialect = dialect(c);
            StateStore store = StateStore.on(c, config.stateSchema());
            CatalogSnapshot snapshot = null;
            String previous = null;
            if (store.installed(c)) {
                Optional<MigrationRecord> record = store.find(c, config.schema(), migration.name());
                if (record.isPresent() && record.get().phase() != Phase.ROLLED_BACK) {
                    snapshot = snapshot(record.get());
                    previous = record.get().previousVersionSchema();
                } else {
                    previous = previousVersionSchema(c, store);
                }
            }
            if (snapshot == null) {
                snapshot = dialect.readCatalog(c, config.schema());
            }
            PlanBuilder builder = new PlanBuilder(dialect, migration, snapshot, config.stateSchema(), previous);
            return new PlanReport(migration.name(), config.schema(), builder.versionSchema(), previous,
                    builder.expand(), builder.backfillTargets(), builder.contract(), builder.rollback());
        });
    }

    /** Adds what the new version needs without breaking the old one. */
    public PhaseResult expand(Migration migration) {
        checkBeforeInstall(migration);
        return withRun(false, (c, dialect, store) -> {
            Optional<MigrationRecord> existing = store.find(c, config.schema(), migration.name());
            if (existing.isPresent()) {
                MigrationRecord record = existing.get();
                if (!record.checksum().equals(migration.checksum()) && record.phase() != Phase.ROLLED_BACK) {
                    throw new StateConflictException(migration.source() + ": migration '" + migration.name()
                            + "' was applied from a file with different content (recorded from " + record.source()
                            + "); an applied migration's file must not change: write a new migration instead");
                }
                switch (record.phase()) {
                    case EXPANDED, CONTRACTING, CONTRACTED_KEPT, COMPLETE:
                        requireCatalogOf(c, dialect, store, record);
                        return new PhaseResult(migration.name(), record.phase().label(), "already expanded", 0, 0);
                    case ROLLING_BACK:
                        throw new StateConflictException("migration '" + migration.name() + "' is being rolled back; "
                                + "run rollback again to finish it before expanding");
                    default:
                        break;
                }
            }
            requireNoOtherActive(c, store, migration.name());
            boolean fresh = existing.isEmpty() || existing.get().phase() == Phase.ROLLED_BACK;
            MigrationRecord record;
            if (fresh) {
                CatalogSnapshot snapshot = dialect.readCatalog(c, config.schema());
                String previous = previousVersionSchema(c, store);
                PlanBuilder builder = new PlanBuilder(dialect, migration, snapshot, config.stateSchema(), previous);
                check(c, dialect, store, builder);
                record = new MigrationRecord(config.schema(), migration.name(), migration.source(), migration.checksum(),
                        Phase.EXPANDING, definitionOf(migration), json(snapshot), builder.versionSchema(), previous,
                        null, null);
                store.save(c, record, "expand started", migration.source());
            } else {
                record = existing.get();
            }
            PlanBuilder builder = builder(dialect, record);
            StepRunner runner = runner(dialect, store, c, record);
            int statements;
            try {
                statements = runner.run(builder.expand());
            } catch (InvalidMigrationException e) {
                // the input itself is wrong (duplicate rows for a unique index, say): undo what committed. Without
                // transactional DDL even the failed step may have committed some of its statements.
                boolean applied = runner.completedSteps() > 0 || !fresh || !dialect.transactionalDdl();
                if (applied) {
                    runner(dialect, store, c, record).run(builder.rollback());
                }
                store.delete(c, config.schema(), migration.name());
                throw new InvalidMigrationException(e.getMessage() + (applied
                        ? "; the steps expand had completed were rolled back, nothing is left of it" : ""), e);
            } catch (RuntimeException e) {
                if (fresh && runner.completedSteps() == 0) {
                    try {
                        store.delete(c, config.schema(), migration.name());
                    } catch (SQLException | RuntimeException cleanup) {
                        // the pool closes a connection after some errors (0A000, say): the failure is what counts,
                        // and the record left behind is that of an expand to continue or roll back
                        e.addSuppressed(cleanup);
                    }
                }
                throw e;
            }
            store.setPhase(c, config.schema(), migration.name(), Phase.EXPANDED, "expanded", null);
            return new PhaseResult(migration.name(), Phase.EXPANDED.label(), "expanded", statements, 0);
        });
    }

    /**
     * Fills new columns of existing rows in batches; continues from the last checkpoint. Holds the run lock
     * shared, so backfills in other processes may join in while expand, contract and rollback must wait.
     */
    public PhaseResult backfill(String name, BackfillListener listener) {
        return withRun(true, (c, dialect, store) -> {
            MigrationRecord record = require(c, store, name);
            if (record.phase() == Phase.COMPLETE || record.phase() == Phase.CONTRACTING
                    || record.phase() == Phase.CONTRACTED_KEPT) {
                return new PhaseResult(name, record.phase().label(), "nothing to backfill: contract has run", 0, 0);
            }
            if (record.phase() != Phase.EXPANDED) {
                throw new StateConflictException("migration '" + name + "' is " + record.phase().label()
                        + "; backfill needs a finished expand");
            }
            List<BackfillTarget> targets = builder(dialect, record).backfillTargets();
            long rows = new Backfiller(dialect, dialect.batchStatements(), store, config, dataSource, c, name)
                    .run(targets, listener);
            store.setPhase(c, config.schema(), name, Phase.EXPANDED, "backfilled", rows + " rows");
            return new PhaseResult(name, Phase.EXPANDED.label(), targets.isEmpty() ? "nothing to backfill"
                    : "backfilled", 0, rows);
        });
    }

    /**
     * Steers the migration's backfills in every process from here: {@code change} turns the control as saved into
     * the new one (pause, resume, maximum rate, workers). Their workers read it before each batch. Recorded in the
     * history; takes no run lock, so it works while a backfill runs. Returns the control as saved.
     */
    public BackfillControl control(String name, UnaryOperator<BackfillControl> change) {
        return withConnection(c -> ControlChange.apply(c, config, name, change));
    }

    /**
     * Removes the old shape. Only after backfill is complete, and while no application instance of the old
     * version has sent a heartbeat within the {@link TandemConfig#instanceTtl() instance TTL}; never undone by
     * rollback.
     */
    public PhaseResult contract(String name) {
        return contract(name, false);
    }

    /**
     * Like {@link #contract(String)}; with {@code force}, contract also starts while instances of the old
     * version look alive (their hosts are gone, say, and their rows not yet expired), and the phase history
     * records that it was forced and past which instances.
     */
    public PhaseResult contract(String name, boolean force) {
        return contract(name, force, false);
    }

    /**
     * Contract that keeps the old shape: only the old version's schema of views is dropped, the tables and sync
     * triggers stay, so {@link #revert(String)} can bring the old version back with every write made meanwhile, and
     * {@link #purge(String, boolean)} finishes the contract. Checked as contract is: a complete backfill, and no live
     * instance of the old version unless {@code force}.
     */
    public PhaseResult contractKeeping(String name, boolean force) {
        return withRun(false, (c, dialect, store) -> {
            MigrationRecord record = require(c, store, name);
            if (ReversibleContract.keepStarts(name, record.phase())) {
                requireBackfilled(c, dialect, store, builder(dialect, record), name);
                startRemoving(c, dialect, store, name, new Removal("contract --keep", "contract --keep again",
                        oldVersion(c, store, record), name, Phase.CONTRACTED_KEPT, "keep started"), force);
            }
            return reversible(c, dialect, store, record).keep();
        });
    }

    /** Brings back the old version of a contract kept with {@link #contractKeeping}; both versions run again. */
    public PhaseResult revert(String name) {
        return withRun(false, (c, dialect, store) -> reversible(c, dialect, store, require(c, store, name)).revert());
    }

    /** Finishes a contract kept with {@link #contractKeeping}: drops the old shape, as contract does. */
    public PhaseResult purge(String name, boolean force) {
        return contract(name, force, true);
    }

    private ReversibleContract reversible(Connection c, Dialect dialect, StateStore store, MigrationRecord record) {
        return new ReversibleContract(c, store, record, builder(dialect, record), runner(dialect, store, c, record));
    }

    private PhaseResult contract(String name, boolean force, boolean purge) {
        return withRun(false, (c, dialect, store) -> {
            MigrationRecord record = require(c, store, name);
            switch (record.phase()) {
                case COMPLETE:
                    requireCatalogOf(c, dialect, store, record);
                    return new PhaseResult(name, record.phase().label(), "already complete", 0, 0);
                case CONTRACTED_KEPT:
                    if (!purge) {
                        return ReversibleContract.keptAlready(name);
                    }
                    break;
                case EXPANDED:
                    if (purge) {
                        throw ReversibleContract.nothingKept(name, record.phase());
                    }
                    break;
                case CONTRACTING:
                    break;
                default:
                    throw new StateConflictException("migration '" + name + "' is " + record.phase().label()
                            + "; contract needs a finished expand" + (record.phase() == Phase.EXPANDING
                            ? ": run expand again to finish it" : ""));
            }
            PlanBuilder builder = builder(dialect, record);
            if (record.phase() != Phase.CONTRACTING) {
                requireBackfilled(c, dialect, store, builder, name);
                startContract(c, dialect, store, record, force);
            } else {
                requireBackfillDone(c, store, builder, name);
            }
            int statements = runner(dialect, store, c, record).run(builder.contract());
            store.setPhase(c, config.schema(), name, Phase.COMPLETE, "complete", null);
            return new PhaseResult(name, Phase.COMPLETE.label(), "contracted", statements, 0);
        });
    }

    /**
     * Checks the backfilled tables on their data: rows that still need backfill, and rows whose target
     * differs from up(row). All rows when {@code sample} is 0, else about {@code sample} random rows per table.
     */
    public List<Verifier.TableCheck> verify(String name, long sample) {
        return withConnection(c -> {
            Dialect dialect = dialect(c);
            StateStore store = StateStore.on(c, config.stateSchema());
            if (!store.installed(c)) {
                throw new StateConflictException("no migration named '" + name + "' has been expanded on schema '"
                        + config.schema() + "'");
            }
            MigrationRecord record = require(c, store, name);
            if (record.phase() != Phase.EXPANDED) {
                throw new StateConflictException("migration '" + name + "' is " + record.phase().label()
                        + "; only an expanded migration's backfill can be verified");
            }
            Verifier verifier = new Verifier(dialect.batchStatements(), c, config.schema());
            List<Verifier.TableCheck> checks = new ArrayList<>();
            for (BackfillTarget target : builder(dialect, record).backfillTargets()) {
                checks.add(verifier.check(target, sample));
            }
            return checks;
        });
    }

    /** Contract begins only once the backfill is recorded done for every table and no row still needs it. */
    private void requireBackfilled(Connection c, Dialect dialect, StateStore store, PlanBuilder builder, String name)
            throws SQLException {
        requireBackfillDone(c, store, builder, name);
        requireNothingPending(c, dialect, builder.backfillTargets(), name);
    }

    private void requireBackfillDone(Connection c, StateStore store, PlanBuilder builder, String name)
            throws SQLException {
        List<String> pending = pendingBackfill(c, store, builder.backfillTargets(), name);
        if (!pending.isEmpty()) {
            throw new StateConflictException("migration '" + name + "': backfill is not complete for "
                    + String.join(", ", pending) + "; run backfill first");
        }
    }

    /**
     * Contract must not leave a row behind whose new column the backfill would still fill. Rows whose filled
     * value differs from up(row) are allowed: the new version writes new columns directly.
     */
    private void requireNothingPending(Connection c, Dialect dialect, List<BackfillTarget> targets, String name)
            throws SQLException {
        Verifier verifier = new Verifier(dialect.batchStatements(), c, config.schema());
        for (BackfillTarget target : targets) {
            Verifier.TableCheck check = verifier.check(target, 0);
            if (check.pending() > 0) {
                throw new StateConflictException("migration '" + name + "': " + check.pending() + " rows of table '"
                        + target.table() + "' still need backfill (keys " + String.join(", ", check.pendingKeys())
                        + (check.pending() > check.pendingKeys().size() ? ", ..." : "") + "): their new columns are "
                        + "NULL where up() is not, written so after the backfill passed them. Nothing was changed; "
                        + "set them (migrate backfill --verify lists them) before contract");
            }
        }
    }

    /**
     * Removes everything expand and backfill added; possible until contract has changed the tables. Refused
     * while an application instance of the migration's version (the new one, which rollback removes) has sent a
     * heartbeat within the {@link TandemConfig#instanceTtl() instance TTL}.
     */
    public PhaseResult rollback(String name) {
        return rollback(name, false);
    }

    /**
     * Like {@link #rollback(String)}; with {@code force}, rollback also starts while instances of the new version
     * look alive, and the phase history records that it was forced and past which instances. A rollback that
     * was interrupted continues without the check: new-version instances cannot start once it has begun.
     */
    public PhaseResult rollback(String name, boolean force) {
        return withRun(false, (c, dialect, store) -> {
            MigrationRecord record = require(c, store, name);
            switch (record.phase()) {
                case ROLLED_BACK:
                    return new PhaseResult(name, record.phase().label(), "already rolled back", 0, 0);
                case COMPLETE:
                    throw new StateConflictException("migration '" + name + "' is complete; the old shape is gone "
                            + "and it cannot be rolled back. Write a new migration that reverses it");
                case CONTRACTED_KEPT:
                    throw new StateConflictException("migration '" + name + "' is contracted with its old shape kept; "
                            + "revert it first (the old version comes back), then roll back");
                case CONTRACTING:
                    if (store.stepDone(c, config.schema(), name, "contract/main")
                            || store.stepDone(c, config.schema(), name, "contract/main/0")
                            || store.stepDone(c, config.schema(), name, "contract/after/0")) {
                        throw new StateConflictException("migration '" + name + "' has contracted its tables; "
                                + "finish it with contract");
                    }
                    ReversibleContract.requireNotPurging(c, store, record);
                    break;
                default:
                    break;
            }
            if (record.phase() == Phase.ROLLING_BACK) {
                store.setPhase(c, config.schema(), name, Phase.ROLLING_BACK, "rollback started", null);
            } else {
                startRemoving(c, dialect, store, name, new Removal("rollback", "roll back again", name,
                        oldVersion(c, store, record), Phase.ROLLING_BACK, "rollback started"), force);
            }
            int statements = runner(dialect, store, c, record).run(builder(dialect, record).rollback());
            store.clearProgress(c, config.schema(), name);
            store.setPhase(c, config.schema(), name, Phase.ROLLED_BACK, "rolled back", null);
            return new PhaseResult(name, Phase.ROLLED_BACK.label(), "rolled back", statements, 0);
        });
    }

    /**
     * Runs {@code work} for a tool that changes the schema itself (Liquibase, say) the way Tandem runs its own
     * phases: on one connection holding the schema's run lock, with the state tables installed and the session's
     * lock_timeout set to {@link TandemConfig#lockTimeout()} (reset afterwards, as the connection goes back to
     * its pool). Unlike a phase, {@code work} is not run again when its session is lost: it is the tool's to
     * resume.
     */
    public <T> T underRunLock(LockedWork<T> work) {
        try {
            return withConnection(c -> runLocked(c, false, (connection, dialect, store) -> {
                dialect.setLockTimeout(connection, config.lockTimeout(), false);
                try {
                    return work.run(connection, dialect);
                } finally {
                    if (!connection.getAutoCommit()) {
                        connection.rollback();
                        connection.setAutoCommit(true);
                    }
                    dialect.setLockTimeout(connection, Duration.ZERO, false);
                }
            }));
        } catch (SessionLost lost) {
            throw lost.failure();
        }
    }

    /** Work done under the run lock; the dialect tells lock timeouts and deadlocks from other failures. */
    public interface LockedWork<T> {
        T run(Connection connection, Dialect dialect) throws SQLException;
    }

    /** Every migration recorded for the schema, oldest first. */
    public List<MigrationStatus> status() {
        return withConnection(c -> {
            Dialect dialect = dialect(c);
            StateStore store = StateStore.on(c, config.stateSchema());
            List<MigrationStatus> statuses = new ArrayList<>();
            if (!store.installed(c)) {
                return statuses;
            }
            for (MigrationRecord r : store.all(c, config.schema())) {
                List<String> pending = r.phase() == Phase.EXPANDED || r.phase() == Phase.EXPANDING
                        ? pendingBackfill(c, store, builder(dialect, r).backfillTargets(), r.name()) : List.of();
                statuses.add(new MigrationStatus(r.name(), r.targetSchema(), r.phase().label(), r.source(),
                        r.versionSchema(), r.previousVersionSchema(), pending.isEmpty(),
                        store.backfill(c, r.targetSchema(), r.name()), pending, r.createdAt(), r.updatedAt(),
                        store.history(c, r.targetSchema(), r.name()),
                        store.control(c, r.targetSchema(), r.name())));
            }
            return statuses;
        });
    }

    /**
     * Application instances whose heartbeat is at most {@link TandemConfig#instanceTtl() TTL} old, by the
     * version they run (a migration's name, or {@link #BASE_VERSION}), versions in name order.
     */
    public Map<String, List<LiveInstance>> liveInstances() {
        return withConnection(c -> {
            Map<String, List<LiveInstance>> byVersion = new LinkedHashMap<>();
            for (LiveInstance instance : StateStore.on(c, config.stateSchema())
                    .liveInstances(c, config.schema(), config.instanceTtl())) {
                byVersion.computeIfAbsent(instance.version(), v -> new ArrayList<>()).add(instance);
            }
            return byVersion;
        });
    }

    /** The migration a phase command acts on when none is named: the one in flight, or the latest. */
    public Optional<String> currentMigration() {
        List<MigrationStatus> all = status();
        return all.stream().filter(s -> Phase.of(s.phase()).active()).map(MigrationStatus::name).findFirst()
                .or(() -> all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).name()));
    }

    private List<String> pendingBackfill(Connection c, StateStore store, List<BackfillTarget> targets, String name)
            throws SQLException {
        List<BackfillProgress> progress = store.backfill(c, config.schema(), name);
        List<String> pending = new ArrayList<>();
        for (BackfillTarget target : targets) {
            boolean done = progress.stream().anyMatch(p -> p.table().equals(target.table()) && p.done());
            if (!done) {
                pending.add(target.table());
            }
        }
        return pending;
    }

    private void requireNoOtherActive(Connection c, StateStore store, String name) throws SQLException {
        for (MigrationRecord other : store.all(c, config.schema())) {
            if (!other.name().equals(name) && other.phase().active()) {
                throw new StateConflictException("migration '" + other.name() + "' is " + other.phase().label()
                        + " on schema '" + config.schema() + "'; contract or roll it back before expanding '" + name
                        + "'");
            }
        }
    }

    private String previousVersionSchema(Connection c, StateStore store) throws SQLException {
        String previous = null;
        for (MigrationRecord record : store.all(c, config.schema())) {
            if (record.phase() == Phase.COMPLETE) {
                previous = record.versionSchema();
            }
        }
        return previous;
    }

    /**
     * Moves the migration to contracting unless instances of the version contract removes are live. Holds the
     * instance registry's lock meanwhile, so no instance of that version registers between the look and the move.
     */
    private void startContract(Connection c, Dialect dialect, StateStore store, MigrationRecord record, boolean force)
            throws SQLException {
        String oldVersion = oldVersion(c, store, record);
        startRemoving(c, dialect, store, record.name(), new Removal("contract", "contract again", oldVersion,
                record.name(), Phase.CONTRACTING, "contract started"), force);
    }

    /**
     * What a phase that begins to remove a version is about: contract removes the old version, rollback the new
     * one, each keeping the other.
     */
    private record Removal(String action, String again, String removed, String kept, Phase phase, String event) {
    }

    /**
     * Moves the migration to the removal's phase unless instances of the version it removes sent a heartbeat
     * within the TTL; with {@code force} it moves anyway and the phase history names them. Holds the instance
     * registry's lock meanwhile, so no instance of that version registers between the look and the move.
     */
    private void startRemoving(Connection c, Dialect dialect, StateStore store, String name, Removal removal,
                               boolean force) throws SQLException {
        c.setAutoCommit(false);
        try {
            dialect.setIdleTransactionTimeout(c, config.lockHoldTimeout());
            store.lockInstanceRegistry(c);
            List<LiveInstance> live = store.liveInstances(c, config.schema(), config.instanceTtl()).stream()
                    .filter(i -> i.version().equals(removal.removed())).toList();
            String running = live.stream().map(LiveInstance::describe).collect(Collectors.joining(", "));
            if (!live.isEmpty() && !force) {
                throw new StateConflictException("migration '" + name + "': " + removal.action() + " removes version '"
                        + removal.removed() + "', and " + live.size() + " instance(s) of it sent a heartbeat within the "
                        + "last " + config.instanceTtl().toSeconds() + " s: " + running + ". Stop them (deploy the "
                        + "build for '" + removal.kept() + "' everywhere) and " + removal.again() + ", or force the "
                        + removal.action() + " if they are gone for good");
            }
            store.setPhase(c, config.schema(), name, removal.phase(), removal.event(), !force ? null
                    : "forced; live instances of version '" + removal.removed() + "': "
                    + (live.isEmpty() ? "none" : running));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
            dialect.setIdleTransactionTimeout(c, Duration.ZERO);
        }
    }

    /** The version contract of {@code record} removes: the previous complete migration, or base. */
    private String oldVersion(Connection c, StateStore store, MigrationRecord record) throws SQLException {
        if (record.previousVersionSchema() == null) {
            return BASE_VERSION;
        }
        return store.all(c, config.schema()).stream()
                .filter(m -> m.phase() == Phase.COMPLETE && m.versionSchema().equals(record.previousVersionSchema()))
                .map(MigrationRecord::name).findFirst().orElse(record.previousVersionSchema());
    }

    private MigrationRecord require(Connection c, StateStore store, String name) throws SQLException {
        return store.find(c, config.schema(), name).orElseThrow(() -> new StateConflictException(
                "no migration named '" + name + "' has been expanded on schema '" + config.schema() + "'"));
    }

    private PlanBuilder builder(Dialect dialect, MigrationRecord record) {
        return new PlanBuilder(dialect, migration(record), snapshot(record), config.stateSchema(),
                record.previousVersionSchema());
    }

    /** The migration as it was recorded. */
    private static Migration migration(MigrationRecord record) {
        return new MigrationParser().parse(record.source(), record.definition().getBytes(StandardCharsets.UTF_8));
    }

    private StepRunner runner(Dialect dialect, StateStore store, Connection c, MigrationRecord record) {
        return new StepRunner(dialect, store, config, c, dataSource::getConnection, record.name(), record.source());
    }

    private static String definitionOf(Migration migration) {
        return new String(migration.definition(), StandardCharsets.UTF_8);
    }

    private static CatalogSnapshot snapshot(MigrationRecord record) {
        try {
            return JSON.readValue(record.snapshot(), CatalogSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new DatabaseException("the stored catalog snapshot of migration '" + record.name()
                    + "' cannot be read: " + e.getOriginalMessage());
        }
    }

    private static String json(CatalogSnapshot snapshot) {
        try {
            return JSON.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Dialect dialect(Connection c) throws SQLException {
        return StateStore.kindOf(c) == DatabaseKind.POSTGRESQL ? PostgresDialect.detect(c)
                : MariaDbDialect.forSession(c);
    }

    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Refuses records that are not the schema's own: the latest migration, complete, left the catalog exactly as it
     * was before its expand. That happens on MariaDB, whose state database is server-wide, when a database is
     * dropped and re-created under the same name (or restored from before the migration): it finds its
     * predecessor's records.
     */
    private void requireCatalogOf(Connection c, Dialect dialect, StateStore store, MigrationRecord record)
            throws SQLException {
        if (record.phase() != Phase.COMPLETE || !changesTables(record)) {
            return;
        }
        List<MigrationRecord> all = store.all(c, config.schema());
        boolean latest = all.get(all.size() - 1).name().equals(record.name());
        if (latest && snapshot(record).equals(dialect.readCatalog(c, config.schema()))) {
            throw new StateConflictException("migration '" + record.name() + "' is recorded as complete on '"
                    + config.schema() + "' in Tandem's state '" + config.stateSchema() + "', but the catalog of '"
                    + config.schema() + "' is as it was before its expand: these records belong to a database of that "
                    + "name that was dropped and re-created, or restored from before the migration. Remove them from '"
                    + config.stateSchema() + "', or keep this database's state apart with --state-schema");
        }
    }

    /**
     * Whether the migration surely leaves the tables' catalog changed: raw SQL may touch only functions, an
     * altered column only its comment.
     */
    private static boolean changesTables(MigrationRecord record) {
        return migration(record).operations().stream()
                .noneMatch(operation -> operation.kind().equals("sql") || operation.kind().equals("alter_column"));
    }

    /**
     * Refused input, or a right the session lacks, changes nothing, Tandem's state included: where the state is not
     * installed yet, the migration is checked against the catalog and the session's rights before expand installs it.
     */
    private void checkBeforeInstall(Migration migration) {
        withConnection(c -> {
            Dialect dialect = dialect(c);
            StateStore store = StateStore.on(c, config.stateSchema());
            if (!store.installed(c)) {
                check(c, dialect, store, new PlanBuilder(dialect, migration, dialect.readCatalog(c, config.schema()),
                        config.stateSchema(), null));
            }
            return null;
        });
    }

    /**
     * Refuses, before anything changes, a statement the database cannot run online (bad input), then a right this
     * session lacks for the state or for the migration's statements, naming it.
     */
    private void check(Connection c, Dialect dialect, StateStore store, PlanBuilder builder) throws SQLException {
        List<Ddl> statements = Stream.of(builder.expand(), builder.contract(), builder.rollback())
                .flatMap(plan -> plan.all().stream()).map(Action::ddl).toList();
        String missing = store.missingRight(c);
        if (missing == null) {
            missing = dialect.missingRight(c, config.schema(), statements);
        }
        if (missing != null) {
            throw new DatabaseException(missing);
        }
    }

    private interface RunWork<T> {
        T run(Connection connection, Dialect dialect, StateStore store) throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseException(Secrets.mask(e.getMessage()), e);
        }
    }

    /**
     * Runs a phase under the run lock. When the server ended a session of the run (its transaction sat idle past
     * the {@link TandemConfig#lockHoldTimeout() lock hold timeout} because this process was paused, say), the
     * phase starts again on a new connection: like a rerun after a crash, it continues from the steps and batches
     * that committed, once it holds the run lock again.
     *
     * @param shared whether the run lock is taken shared (backfill) or exclusive (every other phase)
     */
    private <T> T withRun(boolean shared, RunWork<T> work) {
        for (int attempt = 0; ; attempt++) {
            try {
                return withConnection(c -> runLocked(c, shared, work));
            } catch (SessionLost lost) {
                if (attempt >= SESSION_RETRIES) {
                    throw lost.failure();
                }
                Retry.pause(Retry.delay(attempt, config.retryBaseDelay(), config.retryMaxDelay()));
            }
        }
    }

    private <T> T runLocked(Connection c, boolean shared, RunWork<T> work) throws SQLException {
        Dialect dialect = null;
        try {
            dialect = dialect(c);
            StateStore store = StateStore.on(c, config.stateSchema());
            store.install(c);
            AutoCloseable lock = shared ? store.sharedLock(c, config.schema(), config.runLockWait())
                    : store.lock(c, config.schema(), config.runLockWait());
            try {
                return work.run(c, dialect, store);
            } finally {
                try {
                    lock.close();
                } catch (Exception e) {
                    // closing the connection releases the lock as well
                }
            }
        } catch (SQLException | RuntimeException e) {
            // the pool reports its use of a connection it found broken without an SQL state
            if (dialect != null && sessionLost(dialect, e) || !c.isValid(5)) {
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
