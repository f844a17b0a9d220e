package dev.tandem.coordinator.internal.ddl;

import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.List;

/** A table constraint. Only the fields of its kind are set. */
public record ConstraintDef(String name, Kind kind, List<String> columns, SqlExpression check,
                            TableRef references, List<String> referencedColumns, String onDelete) {
    public enum Kind { CHECK, UNIQUE, FOREIGN_KEY, PRIMARY_KEY }

    public static ConstraintDef check(String name, SqlExpression expression) {
        return new ConstraintDef(name, Kind.CHECK, List.of(), expression, null, List.of(), null);
    }

    public static ConstraintDef foreignKey(String name, List<String> columns, TableRef references,
                                           List<String> referencedColumns, String onDelete) {
        return new ConstraintDef(name, Kind.FOREIGN_KEY, List.copyOf(columns), null, references,
                List.copyOf(referencedColumns), onDelete);
    }

    public static ConstraintDef unique(String name, List<String> columns) {
        return new ConstraintDef(name, Kind.UNIQUE, List.copyOf(columns), null, null, List.of(), null);
    }
}
