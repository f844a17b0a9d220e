package dev.tandem.coordinator.internal.ddl;

import dev.tandem.coordinator.internal.sql.SqlExpression;

/**
 * A column as a table definition states it. {@code defaultValue} and {@code comment} may be null; a dialect that
 * cannot comment a column on its own (MariaDB) states the comment here, and the {@link Ddl.Comment} that follows
 * is then {@link Ddl.Comment#declared()}.
 */
/**
 * @param autoIncrement filled from the table's AUTO_INCREMENT counter (MySQL family: a copied table's key)
 * @param likeColumn the column of the same table the new one stands in for (a shadow's original), whose attributes
 *                   beyond type, default and nullability it takes where the database would otherwise drop them at
 *                   the rename (MariaDB: character set, collation, INVISIBLE, ON UPDATE, comment); null for none
 */
public record ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull, String comment,
                        boolean autoIncrement, String likeColumn) {
    public ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull, String comment,
                     boolean autoIncrement) {
        this(name, type, defaultValue, notNull, comment, autoIncrement, null);
    }

    public ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull, String comment) {
        this(name, type, defaultValue, notNull, comment, false);
    }

    public ColumnDef(String name, String type, SqlExpression defaultValue, boolean notNull) {
        this(name, type, defaultValue, notNull, null);
    }
}
