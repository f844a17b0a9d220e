package dev.tandem.coordinator.operation;

import java.util.Locale;
import java.util.Set;

/** The target of a foreign key: {@code table(column)}, with an optional ON DELETE action. */
public record Reference(String table, String column, String onDelete) {
    private static final Set<String> ACTIONS = Set.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT");

    public Reference {
        Check.name("references.table", table);
        Check.name("references.column", column);
        if (onDelete != null) {
            onDelete = onDelete.strip().toUpperCase(Locale.ROOT);
            if (!ACTIONS.contains(onDelete)) {
                throw new IllegalArgumentException("'references.on_delete' must be one of " + ACTIONS);
            }
        }
    }
}
