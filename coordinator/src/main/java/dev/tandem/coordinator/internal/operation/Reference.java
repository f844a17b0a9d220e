package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.schema.Names;
import java.util.List;
import java.util.Locale;

/**
 * The target of a foreign key: {@code table(column)}, with an optional ON DELETE action.
 *
 * @param name the foreign key's name; null for Tandem's {@code <table>_<column>_fkey}
 */
public record Reference(String table, String column, String onDelete, String name) {
    private static final List<String> ACTIONS = List.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT");

    public Reference {
        Check.name("references.table", table);
        Check.name("references.column", column);
        onDelete = onDeleteAction(onDelete);
        Check.optionalName("references.name", name);
    }

    /** The foreign key's name on {@code table}'s {@code column}. */
    public String nameOn(String referencing, String column) {
        return name != null ? name : Names.foreignKey(referencing, column);
    }

    /** {@code value} as the SQL action it names, or null when not given. */
    static String onDeleteAction(String value) {
        if (value == null) {
            return null;
        }
        String action = value.strip().toUpperCase(Locale.ROOT);
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("'references.on_delete' must be one of " + ACTIONS);
        }
        return action;
    }
}
