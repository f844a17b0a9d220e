package dev.tandem.coordinator.operation;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The target of a multi-column foreign key in {@code create_constraint}. */
public record ConstraintReference(String table, List<String> columns, String onDelete) {
    private static final Set<String> ACTIONS = Set.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT");

    public ConstraintReference {
        Check.name("references.table", table);
        columns = Check.nonEmpty("references.columns", columns);
        columns.forEach(c -> Check.name("references.columns", c));
        if (onDelete != null) {
            onDelete = onDelete.strip().toUpperCase(Locale.ROOT);
            if (!ACTIONS.contains(onDelete)) {
                throw new IllegalArgumentException("'references.on_delete' must be one of " + ACTIONS);
            }
        }
    }
}
