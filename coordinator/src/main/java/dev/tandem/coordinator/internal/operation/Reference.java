package dev.tandem.coordinator.internal.operation;

import java.util.List;
import java.util.Locale;

/** The target of a foreign key: {@code table(column)}, with an optional ON DELETE action. */
public record Reference(String table, String column, String onDelete) {
    private static final List<String> ACTIONS = List.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT");

    public Reference {
        Check.name("references.table", table);
        Check.name("references.column", column);
        onDelete = onDeleteAction(onDelete);
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
