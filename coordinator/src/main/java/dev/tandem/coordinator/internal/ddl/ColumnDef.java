package dev.tandem.coordinator.internal.ddl;

import dev.tandem.coordinator.internal.sql.SqlExpression;

/**
 * A column as a table definition states it. {@code defaultValue} and {@code comment} may be null; a dialect that
 * cannot comment a column on its own (MariaDB) states the comment here, and the {@link Ddl.Comment} that follows
 * is then {@link Ddl.Comment#declared()}.
 */
public record ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull, String comment) {
    public ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull) {
        this(name, type, defaultValue, notNull, null);
    }
}
