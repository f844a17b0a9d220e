package dev.tandem.cli;

import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

@Command(name = "revert", description = "Bring the old version back after `contract --keep`: its views are made "
        + "again over the kept shape, which holds every write the new version made meanwhile, and the migration is "
        + "expanded again (both versions run; then contract, contract --keep or rollback as usual).")
final class RevertCommand extends NamedMigrationCommand {
    @Override
    protected int runPhase() {
        if (changelog() != null) {
            throw new ParameterException(spec.commandLine(), "revert works on migration files, not with --changelog");
        }
        return onFleet(this::revert).orElseGet(() -> withTandem(tandem -> report(revert(tandem))));
    }

    private PhaseResult revert(Tandem tandem) {
        String name = name(tandem);
        return observed(tandem, name, () -> tandem.revert(name));
    }
}
