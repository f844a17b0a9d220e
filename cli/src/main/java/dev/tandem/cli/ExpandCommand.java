package dev.tandem.cli;

import dev.tandem.coordinator.DirectoryStatus;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationDirectory;
import dev.tandem.coordinator.migration.MigrationFiles;
import dev.tandem.liquibase.ChangelogPhase;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "expand", description = "Add what the new version needs without breaking the old one. "
        + "Running it again continues an interrupted expand.")
final class ExpandCommand extends PhaseCommand {
    @Parameters(paramLabel = "FILE", arity = "0..1",
            description = "the migration file (YAML, or JSON by its .json extension), or a directory of migrations: "
                    + "its next pending one; not with --changelog")
    private Path file;

    @Mixin
    private DirectoryOptions directories;

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
        Optional<MigrationDirectory> directory = DirectoryOptions.directory(file.toString());
        if (directory.isPresent()) {
            fleet.refuse(true, "a directory");
            return withTandem(tandem -> expandNext(tandem, directory.get()));
        }
        Migration migration = MigrationFiles.read(file);
        if (fleet.file() != null) {
            return new FleetRun(this, fleet.file()).phase(fleet.keepGoing(), tandem -> expand(tandem, migration));
        }
        return withTandem(tandem -> report(expand(tandem, migration),
                "migrate backfill, then deploy the new version; contract once the old one is gone"));
    }

    /** Expands the directory's next pending migration, or continues the expand of the one in flight. */
    private int expandNext(Tandem tandem, MigrationDirectory directory) {
        Optional<DirectoryStatus.Step> next = directories.status(tandem, directory, err()).nextExpand();
        if (next.isEmpty()) {
            return reportNothingPending(directory);
        }
        return report(expand(tandem, next.get().migration()),
                "migrate backfill " + directory.path() + ", then deploy the new version; contract once the old one is "
                        + "gone");
    }

    private PhaseResult expand(Tandem tandem, Migration migration) {
        return observed(tandem, migration.name(), () -> tandem.expand(migration));
    }
}
