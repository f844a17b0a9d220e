package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import dev.tandem.coordinator.internal.sql.Identifier;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.List;
import java.util.regex.Pattern;

/** Field checks shared by the operations; messages name the field as the migration file does. */
final class Check {
    /**
     * Type names as written in DDL: words, optional modifiers, "with time zone", array brackets; or MariaDB's
     * {@code enum} and {@code set} with their list of string values.
     */
    private static final Pattern TYPE = Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?( [A-Za-z_][A-Za-z0-9_]*)*"
                    + "( ?\\(\\d+( ?, ?\\d+)?\\))?( (with|without) time zone)?( ?\\[\\d*\\])*"
                    + "|(?i:enum|set) ?\\( *'([^']|'')*'( *, *'([^']|'')*')* *\\)");

    private Check() {
    }

    static String name(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        String problem = Identifier.problem(value);
        if (problem != null) {
            throw new IllegalArgumentException("'" + field + "' " + quote(value) + " " + problem);
        }
        return value;
    }

    static String optionalName(String field, String value) {
        return value == null ? null : name(field, value);
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return value;
    }

    static <T> List<T> nonEmpty(String field, List<T> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("'" + field + "' needs at least one entry");
        }
        return List.copyOf(values);
    }

    static String type(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        if (!TYPE.matcher(value.strip()).matches()) {
            throw new IllegalArgumentException("'" + field + "' " + quote(value) + " is not a type name");
        }
        return value.strip();
    }

    static SqlExpression expression(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return SqlExpression.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + field + "' " + e.getMessage());
        }
    }

    static TableModel table(SchemaModel model, String name) {
        return model.table(name).orElseThrow(() -> new OperationException(model.unsupported(name)
                .map(reason -> "table " + quote(name) + " cannot be changed: " + reason)
                .orElse("table " + quote(name) + " does not exist"
                        + (model.tableByPhysical(name).isPresent() ? " in the new version (it was renamed or dropped)" : ""))));
    }

    static ColumnModel column(TableModel table, String name) {
        return table.column(name).orElseThrow(() ->
                new OperationException("column " + quote(name) + " does not exist in table " + quote(table.name())));
    }

    /**
     * The column a foreign key the migration adds references, recorded so that a later operation does not change it.
     * Expand refuses ({@link SchemaModel#refuseExpand}) a column the migration adds to a table that exists or changes
     * (its new version is then a new column, without the unique index a foreign key needs until expand has built it,
     * and the original, which the key would follow, goes at contract), and a table it copies; a migration an earlier
     * version expanded with such a key still rolls back.
     */
    static ColumnModel referencedColumn(SchemaModel model, TableModel table, String name) {
        ColumnModel column = column(table, name);
        if (model.copied(table.physical())) {
            model.refuseExpand("the foreign key references table " + quote(table.name()) + ", which this "
                    + "migration copies (MariaDB's table-copy strategy): the key would follow the original table when "
                    + "contract sets it aside, and then keep contract from dropping it; add the foreign key in a "
                    + "later migration, or give the alter_column 'strategy: in_place'");
        } else if (model.existedBefore(table.physical())
                && model.originalColumn(table.physical(), column.physical()).isEmpty()) {
            model.refuseExpand("the foreign key references " + quote(table.name() + "." + name)
                    + ", which an earlier operation of this migration adds or changes; add the foreign key in a "
                    + "later migration, once this one is contracted");
        }
        model.addReference(table.physical(), column.physical());
        return column;
    }

    /**
     * The column as the database had it before the migration.
     *
     * @throws OperationException when an earlier operation of the migration added or copied the column
     */
    static CatalogSnapshot.Column original(SchemaModel model, TableModel table, ColumnModel column) {
        return model.originalColumn(table.physical(), column.physical()).orElseThrow(() -> new OperationException(
                "column " + quote(column.name()) + " is added or already altered by this migration; give its final "
                        + "definition in that one operation"));
    }

    /**
     * Refuses a constraint name {@code table} already has, or, for a constraint with an index of that name (unique),
     * the name of any table or index.
     */
    static void freeConstraintName(SchemaModel model, TableModel table, String name, boolean indexed) {
        if (table.hasConstraint(name) || (indexed && model.hasRelationName(name))) {
            throw new OperationException("a constraint" + (indexed ? ", index or table" : "") + " named " + quote(name)
                    + " already exists");
        }
    }

    /**
     * Removes a column the database still has from the model, with the indexes and constraints over it that contract's
     * {@code DROP COLUMN} drops along with it.
     */
    static void removeOriginalColumn(SchemaModel model, TableModel table, ColumnModel column) {
        model.originalIndexes(table.physical(), column.physical()).forEach(index -> model.removeIndex(index.name()));
        model.originalConstraints(table.physical(), column.physical()).forEach(k -> table.removeConstraint(k.name()));
        table.removeColumn(column.name());
    }

    static void noTable(SchemaModel model, String name) {
        if (model.table(name).isPresent() || model.tableByPhysical(name).isPresent()) {
            throw new OperationException("table " + quote(name) + " already exists");
        }
    }

    static void noColumn(TableModel table, String name) {
        if (table.column(name).isPresent()) {
            throw new OperationException("column " + quote(name) + " already exists in table " + quote(table.name()));
        }
    }

    static String quote(String value) {
        return "'" + value + "'";
    }
}
