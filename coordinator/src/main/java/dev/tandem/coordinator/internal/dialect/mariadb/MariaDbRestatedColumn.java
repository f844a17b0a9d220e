package dev.tandem.coordinator.internal.dialect.mariadb;

import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect.ident;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.TableRef;
import java.util.regex.Pattern;

/**
 * A column stated anew: the copy's {@code MODIFY}, a shadow's {@code ADD COLUMN}, contract's {@code MODIFY … NOT
 * NULL}. MariaDB drops whatever such a statement leaves out, and Tandem's column model holds neither the character
 * set and collation, nor {@code INVISIBLE}, {@code ON UPDATE CURRENT_TIMESTAMP}, the comment or a column-level check.
 * Left out, a widened {@code utf8mb4_bin} column took the table's case-insensitive collation, so its unique index
 * refused rows the original held (the backfill and the old version's writes failed, the copy skipped rows). These
 * attributes are therefore read from information_schema when the statement runs (it is prepared from a query over
 * {@code information_schema.COLUMNS c}) and stated again where the new type takes them.
 */
final class MariaDbRestatedColumn {
    /** Types that have a character set: the column's is kept unless the type changes to a non-text one. */
    private static final Pattern TEXT = Pattern.compile(
            "(n?(var)?char|character|national|(tiny|medium|long)?text|enum|set)\\b.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIMESTAMPS = Pattern.compile("(timestamp|datetime)\\b.*", Pattern.CASE_INSENSITIVE);

    private MariaDbRestatedColumn() {
    }

    /**
     * SQL giving, from {@code c}, the column's character set and collation when {@code type} has one: after the type.
     * A {@code json} type has its own (utf8mb4_bin) and so has none here.
     */
    static String characterSet(String type) {
        return TEXT.matcher(type.strip()).matches()
                ? " IF(c.CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', c.CHARACTER_SET_NAME,"
                + " ' COLLATE ', c.COLLATION_NAME))" : "''";
    }

    /**
     * SQL giving, from {@code c}, what follows the column's type, default and nullability: INVISIBLE, its comment
     * ({@code comment}, or the column's own when null) and, when the statement restates the column itself
     * ({@code itself}), its ON UPDATE (where the type takes one) and its column-level check (a JSON column's
     * {@code json_valid} comes with the type instead). A shadow takes neither: a check would name the original, and
     * ON UPDATE gives a nullable column a non-constant default, which keeps contract's NOT NULL from running in place.
     */
    static String attributes(String type, String comment, boolean itself) {
        String onUpdate = itself && TIMESTAMPS.matcher(type.strip()).matches()
                ? "IF(c.EXTRA LIKE '%on update%', ' ON UPDATE CURRENT_TIMESTAMP', '')" : "''";
        String commented = comment != null ? literal(" COMMENT " + literal(comment))
                : "IF(c.COLUMN_COMMENT = '', '', CONCAT(' COMMENT ''', REPLACE(c.COLUMN_COMMENT, '''', ''''''), ''''))";
        String checked = !itself ? "''"
                : "COALESCE((SELECT CONCAT(' CHECK (', h.CHECK_CLAUSE, ')') FROM information_schema.CHECK_CONSTRAINTS h"
                + " WHERE h.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND h.TABLE_NAME = c.TABLE_NAME AND h.LEVEL = 'Column'"
                + " AND h.CONSTRAINT_NAME = c.COLUMN_NAME"
                + " AND h.CHECK_CLAUSE <> CONCAT('json_valid(`', REPLACE(c.COLUMN_NAME, '`', '``'), '`)')), '')";
        return onUpdate + ", IF(c.EXTRA LIKE '%INVISIBLE%', ' INVISIBLE', ''), " + commented + ", " + checked;
    }

    /** The query over {@code c}, the column {@code column} of {@code table}, selecting {@code concatenated}. */
    static String select(String concatenated, TableRef table, String column) {
        return "SELECT CONCAT(" + concatenated + ") FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = "
                + literal(table.schema()) + " AND c.TABLE_NAME = " + literal(table.name()) + " AND c.COLUMN_NAME = "
                + literal(column);
    }

    /** A column name with its type as SQL text for {@link #select}'s CONCAT. */
    static String head(String name, String type) {
        return literal(ident(name) + " " + type);
    }
}
