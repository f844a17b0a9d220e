package dev.tandem.coordinator.migration;

import dev.tandem.coordinator.InvalidMigrationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a migration file, with messages that say what is wrong with it. */
public final class MigrationFiles {
    private MigrationFiles() {
    }

    /** @throws InvalidMigrationException when the file is missing, unreadable or not a valid migration */
    public static Migration read(Path file) {
        if (!Files.exists(file)) {
            throw new InvalidMigrationException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidMigrationException(file + ": not a regular file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidMigrationException(file + ": cannot be read (" + e + ")", e);
        }
        return new MigrationParser().parse(file.getFileName().toString(), bytes);
    }
}
