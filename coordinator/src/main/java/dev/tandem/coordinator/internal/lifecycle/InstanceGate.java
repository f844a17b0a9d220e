package dev.tandem.coordinator.internal.lifecycle;

import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.internal.engine.Stage;
import dev.tandem.coordinator.internal.engine.StepId;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.state.VersionStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place that lets a phase remove a version of the schema: contract removes the old version, rollback the
 * new one, each keeping the other. Refused while an application instance of a removed version sent a heartbeat
 * within the instance TTL, unless forced; rollback is refused as well once contract has changed the tables.
 *
 * <p>Which versions a phase removes, {@link VersionStack} says, also with several migrations in flight (stacked, base
 * → A → A+B): contract of A removes the version A builds on (base), not A's nor B's; rollback of B removes B's
 * version and every version built on it, not A's.
 */
final class InstanceGate {
    /** The first step of contract that changes tables, in each form a build may have recorded it. */
    private static final List<StepId> CONTRACT_CHANGES_TABLES = List.of(
            StepId.whole(PhaseKind.CONTRACT, Stage.MAIN), StepId.statement(PhaseKind.CONTRACT, Stage.MAIN, 0),
            StepId.statement(PhaseKind.CONTRACT, Stage.AFTER, 0));
    /**
     * Keep's step, recorded until a revert forgets it: a contract that follows it is a purge, whose old version has
     * no views left for rollback to leave behind.
     */
    private static final List<StepId> KEEP_DROPPED_VIEWS = List.of(
            StepId.whole(PhaseKind.KEEP, Stage.MAIN), StepId.statement(PhaseKind.KEEP, Stage.MAIN, 0));

    private final Run run;

    InstanceGate(Run run) {
        this.run = run;
    }

    /** Moves the migration to contracting unless instances of the version contract removes are live. */
    void startContract(MigrationRecord record, InstanceCheck check) throws SQLException {
        start(record.name(), new Removal("contract", "contract again", versions().removedByContract(record.name()),
                record.name(), Phase.CONTRACTING, "contract started"), check);
    }

    /** Moves the migration to contracted_kept unless instances of the old version, which keep retires, are live. */
    void startKeep(MigrationRecord record, InstanceCheck check) throws SQLException {
        start(record.name(), new Removal("contract --keep", "contract --keep again",
                versions().removedByContract(record.name()), record.name(), Phase.CONTRACTED_KEPT, "keep started"),
                check);
    }

    /** Moves the migration to rolling back unless instances of its own version, which rollback removes, are live. */
    void startRollback(MigrationRecord record, InstanceCheck check) throws SQLException {
        String name = record.name();
        if (record.phase() == Phase.CONTRACTING) {
            for (StepId step : CONTRACT_CHANGES_TABLES) {
                if (run.store().stepDone(run.connection(), run.schema(), name, step.format())) {
                    throw new StateConflictException("migration '" + name + "' has contracted its tables; "
                            + "finish it with contract");
                }
            }
            for (StepId step : KEEP_DROPPED_VIEWS) {
                if (run.store().stepDone(run.connection(), run.schema(), name, step.format())) {
                    throw new StateConflictException("migration '" + name + "' is being purged after contract "
                            + "--keep, which dropped the old version's views; finish it with purge");
                }
            }
        }
        VersionStack versions = versions();
        start(name, new Removal("rollback", "roll back again", versions.removedByRollback(name),
                versions.version(name).map(VersionStack.Version::buildsOn).orElse(Tandem.BASE_VERSION),
                Phase.ROLLING_BACK, "rollback started"), check);
    }

    /**
     * What a phase that begins to remove versions is about.
     */
    private record Removal(String action, String again, List<String> removed, String kept, Phase phase,
                           String event) {
        /** For messages: {@code version 'base'}, {@code versions 'B' and 'C'}. */
        String versions() {
            return (removed.size() == 1 ? "version " : "versions ")
                    + removed.stream().map(v -> "'" + v + "'").collect(Collectors.joining(" and "));
        }
    }

    /**
     * Moves the migration to the removal's phase unless instances of a version it removes sent a heartbeat
     * within the TTL; forced, it moves anyway and the phase history names them. Holds the instance registry's lock
     * meanwhile, so no instance of those versions registers between the look and the move.
     */
    private void start(String name, Removal removal, InstanceCheck check) throws SQLException {
        Connection c = run.connection();
        boolean force = check == InstanceCheck.FORCE;
        c.setAutoCommit(false);
        try {
            run.dialect().setIdleTransactionTimeout(c, run.config().lockHoldTimeout());
            run.store().lockInstanceRegistry(c);
            Duration ttl = run.config().instanceTtl();
            List<LiveInstance> live = run.store().liveInstances(c, run.schema(), ttl).stream()
                    .filter(i -> removal.removed().contains(i.version())).toList();
            String running = live.stream().map(LiveInstance::describe).collect(Collectors.joining(", "));
            if (!live.isEmpty() && !force) {
                throw new StateConflictException("migration '" + name + "': " + removal.action() + " removes "
                        + removal.versions() + ", and " + live.size() + " instance(s) of " + (removal.removed().size()
                        == 1 ? "it" : "them") + " sent a heartbeat within the last " + ttl.toSeconds() + " s: "
                        + running + ". Stop them (deploy the "
                        + "build for '" + removal.kept() + "' everywhere) and " + removal.again() + ", or force the "
                        + removal.action() + " if they are gone for good");
            }
            run.store().setPhase(c, run.schema(), name, removal.phase(), removal.event(), !force ? null
                    : "forced; live instances of " + removal.versions() + ": "
                    + (live.isEmpty() ? "none" : running));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
            run.dialect().setIdleTransactionTimeout(c, Duration.ZERO);
        }
    }

    private VersionStack versions() throws SQLException {
        return run.store().versions(run.connection(), run.schema());
    }
}
