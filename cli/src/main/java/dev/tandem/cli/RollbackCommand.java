package dev.tandem.cli;

import picocli.CommandLine.Command;

@Command(name = "rollback", description = "Remove everything expand and backfill added. "
        + "Possible until contract has changed the tables.")
final class RollbackCommand extends NamedMigrationCommand {
    @Override
    protected int doCall() {
        return withTandem(tandem -> report(tandem.rollback(name(tandem))));
    }
}
