package dev.tandem.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rollback", description = "Remove everything expand and backfill added. "
        + "Possible until contract has changed the tables; needs no live instance of the new version. With "
        + "--changelog: roll back the changelog's applied expand and backfill changesets through their rollback "
        + "blocks.")
final class RollbackCommand extends NamedMigrationCommand {
    @Option(names = "--force", description = "roll back even while instances of the new version sent a heartbeat "
            + "within the instance TTL (their hosts are gone for good, say); recorded in the phase history")
    private boolean force;

    @Override
    protected int doCall() {
        if (changelog() != null) {
            return rollbackChangelog();
        }
        return onFleet(tandem -> tandem.rollback(name(tandem), force))
                .orElseGet(() -> withTandem(tandem -> report(tandem.rollback(name(tandem), force))));
    }
}
