package dev.tandem.cli;

import dev.tandem.liquibase.ChangelogPhase;
import picocli.CommandLine.Command;

@Command(name = "backfill", description = "Fill the new columns of existing rows in batches, reporting progress. "
        + "Running it again continues from the last committed batch.")
final class BackfillCommand extends NamedMigrationCommand {
    @Override
    protected int doCall() {
        if (changelog() != null) {
            return runChangelog(ChangelogPhase.BACKFILL);
        }
        return withTandem(tandem -> {
            try (ProgressOutput progress = ProgressOutput.choose(output.json(), out())) {
                return report(tandem.backfill(name(tandem), progress),
                        "deploy the new version; once the old one is gone, migrate contract");
            }
        });
    }
}
