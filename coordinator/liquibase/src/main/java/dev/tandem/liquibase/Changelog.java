package dev.tandem.liquibase;

import dev.tandem.coordinator.InvalidMigrationException;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * A changelog and where Liquibase finds it and its includes. {@code path} is what DATABASECHANGELOG records as
 * the file name, so the same changelog must be named the same way on every run.
 */
public record Changelog(String path, ResourceAccessor resources) {

    /** A changelog file; its directory is the search path, so the recorded file name is the file's own name. */
    public static Changelog file(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidMigrationException(file + ": no such changelog file");
        }
        Path absolute = file.toAbsolutePath().normalize();
        try {
            return new Changelog(absolute.getFileName().toString(), new DirectoryResourceAccessor(absolute.getParent()));
        } catch (FileNotFoundException e) {
            throw new InvalidMigrationException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** A changelog on the class path, such as the sample in migrations-examples. */
    public static Changelog classpath(String path) {
        return new Changelog(path, new ClassLoaderResourceAccessor(Changelog.class.getClassLoader()));
    }
}
