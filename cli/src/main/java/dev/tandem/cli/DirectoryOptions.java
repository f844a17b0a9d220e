package dev.tandem.cli;

import dev.tandem.coordinator.DirectoryStatus;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.MigrationDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What the commands that take a directory of migrations share: {@code --strict}, and the directory's status. */
final class DirectoryOptions {
    @Option(names = "--strict", description = "with a directory: refuse when the schema records migrations that no "
            + "file of the directory holds (default: they are reported)")
    private boolean strict;

    /** The directory {@code argument} names, read; empty when it names none (a file, a migration's name). */
    static Optional<MigrationDirectory> directory(String argument) {
        return argument != null && Files.isDirectory(Path.of(argument))
                ? Optional.of(MigrationDirectory.read(Path.of(argument))) : Optional.empty();
    }

    /**
     * The directory against the schema's state. Recorded migrations the directory lacks are refused with
     * {@code --strict}, else reported on {@code err}.
     */
    DirectoryStatus status(Tandem tandem, MigrationDirectory directory, PrintWriter err) {
        DirectoryStatus status = tandem.pending(directory);
        if (strict) {
            status.requireNoneMissing();
        } else if (!status.missing().isEmpty()) {
            err.println("note: schema '" + status.schema() + "' records migrations that no file of " + directory.path()
                    + " holds: " + String.join(", ", status.missing()));
            err.flush();
        }
        return status;
    }
}
