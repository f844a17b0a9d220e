package dev.tandem.coordinator.internal.ddl;

import dev.tandem.coordinator.internal.sql.SqlExpression;

/** A column as a table definition states it. {@code defaultValue} may be null. */
public record ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull) {
}
