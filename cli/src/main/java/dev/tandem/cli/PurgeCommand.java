package dev.tandem.cli;

import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "purge", description = "Finish a contract run with --keep: drop the kept old shape, as contract "
        + "does. Needs no live instance of the old version; cannot be rolled back.")
final class PurgeCommand extends NamedMigrationCommand {
    @Option(names = "--force", description = "purge even while instances of the old version sent a heartbeat within "
            + "the instance TTL (their hosts are gone for good, say); recorded in the phase history")
    private boolean force;

    @Mixin
    private InstanceOptions instances;

    @Override
    protected TandemConfig.Builder settings(TandemConfig.Builder config) {
        return instances.apply(config);
    }

    @Override
    protected int runPhase() {
        if (changelog() != null) {
            throw new ParameterException(spec.commandLine(), "purge works on migration files, not with --changelog");
        }
        return onFleet(this::purge).orElseGet(() -> withTandem(tandem -> report(purge(tandem))));
    }

    private PhaseResult purge(Tandem tandem) {
        String name = name(tandem);
        return observed(tandem, name, () -> tandem.purge(name, force ? InstanceCheck.FORCE : InstanceCheck.ENFORCE));
    }
}
