package dev.tandem.coordinator.ddl;

import dev.tandem.coordinator.sql.SqlExpression;

/** A column as a table definition states it. {@code defaultValue} may be null. */
public record ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull) {
}
