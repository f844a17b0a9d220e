package dev.tandem.cli;

import dev.tandem.coordinator.DirectoryStatus;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.MigrationDirectory;
import dev.tandem.coordinator.migration.MigrationFiles;
import dev.tandem.liquibase.Changelog;
import dev.tandem.liquibase.ChangelogPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * A phase command on a migration already expanded, named or else the current one; or, with {@code --changelog},
 * on the changesets of a phase-labelled Liquibase changelog.
 */
abstract class NamedMigrationCommand extends PhaseCommand {
    @Parameters(paramLabel = "NAME", arity = "0..1",
            description = "the migration (default: the one in flight, else the latest), its file, or a directory "
                    + "of migrations: the one of it in flight, else the last one applied")
    private String name;

    @Mixin
    private DirectoryOptions directories;

    @Mixin
    private ChangelogOption changelog;

    @Mixin
    protected FleetPhaseOptions fleet;

    /** The changelog named with {@code --changelog}, or null; refuses a migration NAME beside it. */
    protected final Path changelog() {
        if (changelog.file() != null && name != null) {
            throw new ParameterException(spec.commandLine(), "name either a migration NAME or --changelog FILE");
        }
        fleet.refuse(changelog.file() != null, "--changelog");
        return changelog.file();
    }

    /** Runs this command's phase of the {@code --changelog} changelog. */
    protected final int runChangelog(ChangelogPhase phase) {
        return runChangelog(changelog, phase);
    }

    /** Rolls back the {@code --changelog} changelog's applied expand and backfill changesets. */
    protected final int rollbackChangelog() {
        return withTandem(tandem -> {
            Changelog file = changelog.changelog();
            String path = file.path();
            List<String> undone = observed(tandem, path, () -> liquibase(tandem).rollback(file),
                    rolledBack -> changelogSummary(path, "rolled back", rolledBack));
            if (output.json()) {
                Json.print(out(), new ChangelogRollback(path, undone));
            } else {
                out().println(path + ": rollback undid " + undone.size() + " changeset(s)"
                        + (undone.isEmpty() ? "" : ": " + String.join(", ", undone)));
            }
            return ExitCodes.OK;
        });
    }

    private record ChangelogRollback(String changelog, List<String> rolledBack) {
    }

    /** Runs {@code work} on every target of the {@code --fleet} file, or returns empty without it. */
    protected final Optional<Integer> onFleet(Function<Tandem, PhaseResult> work) {
        return fleet.file() == null ? Optional.empty()
                : Optional.of(new FleetRun(this, fleet.file()).phase(fleet.keepGoing(), work));
    }

    /**
     * The migration named, or the one of the migration file named (the file {@code expand} was given: a name holds no
     * dot), or else the one in flight or the latest; empty when none is recorded.
     */
    protected final Optional<String> migration(Tandem tandem) {
        Optional<MigrationDirectory> directory = DirectoryOptions.directory(name);
        if (directory.isPresent()) {
            return directories.status(tandem, directory.get(), err()).current().map(DirectoryStatus.Entry::name);
        }
        if (name != null && name.contains(".") && Files.isRegularFile(Path.of(name))) {
            return Optional.of(MigrationFiles.read(Path.of(name)).name());
        }
        return name != null ? Optional.of(name) : tandem.currentMigration();
    }

    protected final String name(Tandem tandem) {
        return migration(tandem).orElseThrow(() -> new StateConflictException(
                "no migration has been expanded on schema '" + tandem.config().schema() + "'; nothing to "
                        + spec.name()));
    }
}
