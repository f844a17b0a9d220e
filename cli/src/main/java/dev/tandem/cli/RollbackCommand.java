package dev.tandem.cli;

import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollback", description = "Remove everything expand and backfill added. "
        + "Possible until contract has changed the tables; needs no live instance of the new version. With "
        + "--changelog: roll back the changelog's applied expand and backfill changesets through their rollback "
        + "blocks.")
final class RollbackCommand extends NamedMigrationCommand {
    @Option(names = "--force", description = "roll back even while instances of the new version sent a heartbeat "
            + "within the instance TTL (their hosts are gone for good, say); recorded in the phase history")
    private boolean force;

    @Option(names = "--cascade", description = "roll back first, top of the stack first, each migration in flight "
            + "stacked on this one that shares a table with it (otherwise they refuse the rollback, named)")
    private boolean cascade;

    @Mixin
    private InstanceOptions instances;

    @Override
    protected TandemConfig.Builder settings(TandemConfig.Builder config) {
        return instances.apply(config);
    }

    /**
     * On a fleet: a target the migration never reached (its expand failed elsewhere and stopped the fleet first)
     * has nothing to roll back, and says so instead of failing.
     */
    private PhaseResult rollbackOnce(Tandem tandem) {
        Optional<String> name = migration(tandem);
        if (name.isEmpty() || tandem.status().stream().noneMatch(m -> m.name().equals(name.get()))) {
            return new PhaseResult(name.orElse("-"), "none", FleetRun.NOTHING_TO_ROLL_BACK, 0, 0);
        }
        return rollback(tandem, name.get());
    }

    private PhaseResult rollback(Tandem tandem, String name) {
        return observed(tandem, name, () -> cascade ? tandem.rollbackCascading(name, instanceCheck())
                : tandem.rollback(name, instanceCheck()));
    }

    /** Each migration of the cascade is a rollback of its own: its hooks, metrics and line of output. */
    private int rollbackReporting(Tandem tandem, String name) {
        if (cascade) {
            for (String first : tandem.rolledBackBefore(name)) {
                report(observed(tandem, first, () -> tandem.rollback(first, instanceCheck())));
            }
        }
        return report(observed(tandem, name, () -> tandem.rollback(name, instanceCheck())));
    }

    @Override
    protected int runPhase() {
        if (changelog() != null) {
            return rollbackChangelog();
        }
        return onFleet(this::rollbackOnce)
                .orElseGet(() -> withTandem(tandem -> rollbackReporting(tandem, name(tandem))));
    }

    private InstanceCheck instanceCheck() {
        return force ? InstanceCheck.FORCE : InstanceCheck.ENFORCE;
    }
}
