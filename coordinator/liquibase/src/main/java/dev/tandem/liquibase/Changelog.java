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
        return file(file, file.toAbsolutePath().normalize().getParent());
    }

    /**
     * A changelog file found under {@code searchPath}; the recorded file name is its path relative to it, as a
     * project that ran Liquibase from that directory (or from the class path root it becomes) recorded it.
     */
    public static Changelog file(Path file, Path searchPath) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidMigrationException(file + ": no such changelog file");
        }
        Path absolute = file.toAbsolutePath().normalize();
        Path root = searchPath.toAbsolutePath().normalize();
        if (!absolute.startsWith(root)) {
            throw new InvalidMigrationException(file + ": the changelog is not under its search path " + searchPath);
        }
        try {
            return new Changelog(root.relativize(absolute).toString().replace('\\', '/'),
                    new DirectoryResourceAccessor(root));
        } catch (FileNotFoundException e) {
            throw new InvalidMigrationException(searchPath + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** A changelog on the class path, such as the sample in migrations-examples. */
    public static Changelog classpath(String path) {
        return new Changelog(path, new ClassLoaderResourceAccessor(Changelog.class.getClassLoader()));
    }
}
