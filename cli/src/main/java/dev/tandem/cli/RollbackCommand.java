package dev.tandem.cli;

import picocli.CommandLine.Command;

@Command(name = "rollback", description = "Remove everything expand and backfill added. "
        + "Possible until contract has changed the tables. With --changelog: roll back the changelog's applied "
        + "expand and backfill changesets through their rollback blocks.")
final class RollbackCommand extends NamedMigrationCommand {
    @Override
    protected int doCall() {
        if (changelog() != null) {
            return rollbackChangelog();
        }
        return withTandem(tandem -> report(tandem.rollback(name(tandem))));
    }
}
