package dev.tandem.cli;

import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.liquibase.ChangelogPhase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "contract", description = "Remove the old shape once only the new version runs. "
        + "Needs a complete backfill and no live instance of the old version; cannot be rolled back. With --keep: "
        + "hide the old shape instead, kept up to date, until revert brings the old version back or purge drops it.")
final class ContractCommand extends NamedMigrationCommand {
    /** The views a switch makes again on sessions of their own: a deeper stack's others follow the unlock. */
    private static final int SWITCHED_VIEWS = 8;

    @Option(names = "--force", description = "contract even while instances of the old version sent a heartbeat "
            + "within the instance TTL (their hosts are gone for good, say); recorded in the phase history")
    private boolean force;

    @Option(names = "--keep", description = "keep the old columns and tables (up to date through the sync triggers) "
            + "and drop only the old version's views: `migrate revert` brings the old version back, `migrate purge` "
            + "finishes the contract")
    private boolean keep;

    @Option(names = "--cascade", description = "contract first, in order, each migration in flight this one is "
            + "stacked on and shares a table with (otherwise they refuse the contract, named)")
    private boolean cascade;

    @Mixin
    private InstanceOptions instances;

    /**
     * One for the run and, on MariaDB, one for each view a switch makes again under its lock: the new version's and
     * those of the versions stacked on it (docs/mysql.md). The pool opens them only when a switch asks.
     */
    @Override
    protected int connections() {
        return 1 + SWITCHED_VIEWS;
    }

    @Override
    protected TandemConfig.Builder settings(TandemConfig.Builder config) {
        return instances.apply(config);
    }

    @Override
    protected int runPhase() {
        if (keep && cascade) {
            throw new ParameterException(spec.commandLine(), "--cascade works with contract, not with --keep");
        }
        if (changelog() != null) {
            if (keep || cascade) {
                throw new ParameterException(spec.commandLine(), (keep ? "--keep" : "--cascade")
                        + " works on migration files, not with --changelog");
            }
            return runChangelog(ChangelogPhase.CONTRACT);
        }
        if (fleet.file() != null) {
            FleetRun run = new FleetRun(this, fleet.file());
            if (!force) {
                run.requireNoOldInstances(this::name);
            }
            return run.phase(fleet.keepGoing(), this::contract);
        }
        if (cascade) {
            return withTandem(tandem -> {
                String name = name(tandem);
                // each migration of the cascade is a contract of its own: its hooks, metrics and line of output
                for (String first : tandem.contractedBefore(name)) {
                    report(observed(tandem, first, () -> tandem.contract(first, instanceCheck())));
                }
                return report(observed(tandem, name, () -> tandem.contract(name, instanceCheck())));
            });
        }
        return withTandem(tandem -> report(contract(tandem)));
    }

    private PhaseResult contract(Tandem tandem) {
        String name = name(tandem);
        return observed(tandem, name, () -> keep ? tandem.contractKeeping(name, instanceCheck())
                : cascade ? tandem.contractCascading(name, instanceCheck()) : tandem.contract(name, instanceCheck()));
    }

    private InstanceCheck instanceCheck() {
        return force ? InstanceCheck.FORCE : InstanceCheck.ENFORCE;
    }
}
