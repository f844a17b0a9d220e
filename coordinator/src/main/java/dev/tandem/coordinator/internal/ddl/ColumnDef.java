package dev.tandem.coordinator.internal.ddl;

import dev.tandem.coordinator.internal.sql.SqlExpression;

/**
 * A column as a table definition states it. {@code defaultValue} and {@code comment} may be null; a dialect that
 * cannot comment a column on its own (MariaDB) states the comment here, and the {@link Ddl.Comment} that follows
 * is then {@link Ddl.Comment#declared()}.
 */
/** @param autoIncrement filled from the table's AUTO_INCREMENT counter (MySQL family: a copied table's key) */
public record ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull, String comment,
                        boolean autoIncrement) {
    public ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull, String comment) {
        this(name, type, defaultValue, notNull, comment, false);
    }

    public ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull) {
        this(name, type, defaultValue, notNull, null);
    }
}
