package dev.tandem.coordinator.internal.operation;

import java.util.List;

/** The target of a multi-column foreign key in {@code create_constraint}. */
public record ConstraintReference(String table, List<String> columns, String onDelete) {
    public ConstraintReference {
        Check.name("references.table", table);
        columns = Check.nonEmpty("references.columns", columns);
        columns.forEach(c -> Check.name("references.columns", c));
        onDelete = Reference.onDeleteAction(onDelete);
    }
}
