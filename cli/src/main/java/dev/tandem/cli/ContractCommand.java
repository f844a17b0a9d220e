package dev.tandem.cli;

import picocli.CommandLine.Command;

@Command(name = "contract", description = "Remove the old shape once only the new version runs. "
        + "Needs a complete backfill; cannot be rolled back.")
final class ContractCommand extends NamedMigrationCommand {
    @Override
    protected int doCall() {
        return withTandem(tandem -> report(tandem.contract(name(tandem))));
    }
}
