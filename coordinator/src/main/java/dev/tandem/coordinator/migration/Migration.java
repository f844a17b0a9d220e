package dev.tandem.coordinator.migration;

import java.util.List;

/**
 * A parsed migration: a name, the ordered operations, and where it came from.
 *
 * @param source   the file name, for messages
 * @param checksum SHA-256 of the file's bytes; an applied migration whose file changes is refused
 * @param definition the file's bytes
 * @param after    the migration this one comes after in a directory ({@code after:}), or null: then it comes in file
 *                 name order
 */
public record Migration(String name, List<MigrationOperation> operations, String source, String checksum,
                        byte[] definition, String after) {
    public Migration {
        operations = List.copyOf(operations);
        definition = definition.clone();
    }

    /** The file's bytes, stored with the migration's state so any machine can continue it. */
    @Override
    public byte[] definition() {
        return definition.clone();
    }

    /**
     * This migration as it runs on {@code database}: where the file gives an expression per database, that
     * database's.
     *
     * @throws dev.tandem.coordinator.InvalidMigrationException when a field has no expression for {@code database}
     */
    public Migration on(Database database) {
        return new MigrationParser().parse(source, definition, database);
    }

    /** Which databases this migration's file runs on, as far as the file tells. */
    public Portability portability() {
        return Portability.of(this);
    }

    /** How an operation is named in messages: its position and kind, e.g. "operation 2 (add_column)". */
    public String describe(int index) {
        return "operation " + (index + 1) + " (" + operations.get(index).kind() + ")";
    }
}
