package dev.tandem.cli;

import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationFiles;
import dev.tandem.liquibase.ChangelogPhase;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "expand", description = "Add what the new version needs without breaking the old one. "
        + "Running it again continues an interrupted expand.")
final class ExpandCommand extends PhaseCommand {
    @Parameters(paramLabel = "FILE", arity = "0..1",
            description = "the migration file (YAML, or JSON by its .json extension); not with --changelog")
    private Path file;

    @Mixin
    private ChangelogOption changelog;

    @Mixin
    private FleetPhaseOptions fleet;

    @Override
    protected int runPhase() {
        if ((file == null) == (changelog.file() == null)) {
            throw new ParameterException(spec.commandLine(), "name either a migration FILE or --changelog FILE");
        }
        fleet.refuse(changelog.file() != null, "--changelog");
        if (changelog.file() != null) {
            return runChangelog(changelog, ChangelogPhase.EXPAND);
        }
        Migration migration = MigrationFiles.read(file);
        if (fleet.file() != null) {
            return new FleetRun(this, fleet.file()).phase(fleet.keepGoing(), tandem -> expand(tandem, migration));
        }
        return withTandem(tandem -> report(expand(tandem, migration),
                "migrate backfill, then deploy the new version; contract once the old one is gone"));
    }

    private PhaseResult expand(Tandem tandem, Migration migration) {
        return observed(tandem, migration.name(), () -> tandem.expand(migration));
    }
}
