package dev.tandem.coordinator.migration;

import dev.tandem.coordinator.InvalidMigrationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The migrations of a directory (its {@code .yaml}, {@code .yml} and {@code .json} files) in the order they apply:
 * file name order, except that a migration with {@code after: NAME} comes after the migration named NAME. Among
 * the migrations free to come next, the one whose file name sorts first does.
 */
public final class MigrationDirectory {
    private final Path path;
    private final List<Migration> migrations;

    private MigrationDirectory(Path path, List<Migration> migrations) {
        this.path = path;
        this.migrations = List.copyOf(migrations);
    }

    /**
     * @throws InvalidMigrationException when the directory is missing or holds no migration, a file is not a valid
     *                                   migration, two files hold the same migration name, or an {@code after:} names
     *                                   no migration of the directory or closes a cycle
     */
    public static MigrationDirectory read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidMigrationException(directory + ": no such directory");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(Files::isRegularFile).filter(file -> isMigrationFile(file.getFileName().toString()))
                    .sorted(Comparator.comparing(file -> file.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new InvalidMigrationException(directory + ": cannot be read (" + e + ")", e);
        }
        if (files.isEmpty()) {
            throw new InvalidMigrationException(directory + ": no migration files (.yaml, .yml, .json)");
        }
        return of(directory, files.stream().map(MigrationFiles::read).toList());
    }

    /**
     * The migrations of {@code directory} in their order, from {@code inNameOrder}, its migrations as their files
     * sort by name (verify reads them itself).
     *
     * @throws InvalidMigrationException as {@link #read} does
     */
    public static MigrationDirectory of(Path directory, List<Migration> inNameOrder) {
        Map<String, Migration> byName = new LinkedHashMap<>();
        for (Migration migration : inNameOrder) {
            Migration twin = byName.putIfAbsent(migration.name(), migration);
            if (twin != null) {
                throw new InvalidMigrationException(directory + ": " + twin.source() + " and " + migration.source()
                        + " both hold migration '" + migration.name() + "'; each migration needs a name of its own");
            }
        }
        for (Migration migration : inNameOrder) {
            if (migration.after() != null && !byName.containsKey(migration.after())) {
                throw new InvalidMigrationException(directory + ": " + migration.source() + ": 'after' names '"
                        + migration.after() + "', which is no migration of the directory");
            }
        }
        List<Migration> ordered = new ArrayList<>();
        List<Migration> waiting = new ArrayList<>(inNameOrder);
        while (!waiting.isEmpty()) {
            Optional<Migration> next = waiting.stream()
                    .filter(m -> m.after() == null || ordered.contains(byName.get(m.after()))).findFirst();
            if (next.isEmpty()) {
                throw new InvalidMigrationException(directory + ": the 'after' keys of " + waiting.stream()
                        .map(m -> m.source() + " (after " + m.after() + ")").collect(Collectors.joining(", "))
                        + " form a cycle; none of them can come first");
            }
            ordered.add(next.get());
            waiting.remove(next.get());
        }
        return new MigrationDirectory(directory, ordered);
    }

    private static boolean isMigrationFile(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    }

    public Path path() {
        return path;
    }

    /** The migrations in the order they apply. */
    public List<Migration> migrations() {
        return migrations;
    }

    /** The migration named {@code name}. */
    public Optional<Migration> find(String name) {
        return migrations.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
