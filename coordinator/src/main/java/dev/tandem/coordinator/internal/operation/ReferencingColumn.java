package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column of another table whose foreign key references a primary key column {@link AlterColumn} changes the type
 * of: it gets a shadow of the new type too, and its foreign key is built again over the shadow at contract.
 *
 * @param table    the referencing table's physical name
 * @param column   the referencing column's physical name
 * @param key      the foreign key's name
 * @param onDelete its ON DELETE action; null for the default (NO ACTION)
 */
record ReferencingColumn(String table, String column, String key, String onDelete) {
    private static final Pattern REFERENCED = Pattern.compile("REFERENCES\\s+\\S+?\\s*\\(([^)]*)\\)");
    private static final Pattern ON_DELETE = Pattern.compile("ON DELETE (CASCADE|SET NULL|SET DEFAULT|RESTRICT)");
    /** What the rebuilt key could not carry over. */
    private static final Pattern UNSUPPORTED = Pattern.compile(
            "ON UPDATE (CASCADE|SET NULL|SET DEFAULT)|(?<!NOT )DEFERRABLE|MATCH FULL|NOT VALID");

    /**
     * The columns whose foreign keys reference {@code key} of {@code table}, in the catalog's order.
     *
     * @throws OperationException for a foreign key the shadows could not carry over
     */
    static List<ReferencingColumn> of(SchemaModel model, TableModel table, ColumnModel key) {
        for (CatalogSnapshot.Constraint own : model.originalConstraints(table.physical(), key.physical())) {
            if (table.physical().equals(own.referencedTable())) {
                throw new OperationException("column '" + key.name() + "' is referenced by foreign key '" + own.name()
                        + "' of its own table; changing the type of a key its own table references is not supported "
                        + "yet");
            }
        }
        List<ReferencingColumn> columns = new ArrayList<>();
        model.originalForeignKeysTo(table.physical()).forEach((referencing, keys) -> {
            for (CatalogSnapshot.Constraint fk : keys) {
                String definition = fk.definition() == null ? "" : fk.definition().toUpperCase(Locale.ROOT);
                Matcher referenced = REFERENCED.matcher(fk.definition() == null ? "" : fk.definition());
                // MariaDB's catalog gives only the actions: its foreign keys reference the primary key
                List<String> targets = referenced.find() ? Arrays.stream(referenced.group(1).split(","))
                        .map(c -> c.strip().replace("\"", "")).toList() : List.of(key.physical());
                if (!targets.contains(key.physical())) {
                    continue;
                }
                String where = "foreign key '" + fk.name() + "' of table '" + referencing + "'";
                if (fk.columns().size() != 1 || targets.size() != 1) {
                    throw new OperationException(where + " has more than one column; only one-column foreign keys "
                            + "can follow a key's type change");
                }
                Matcher unsupported = UNSUPPORTED.matcher(definition);
                if (unsupported.find()) {
                    throw new OperationException(where + " is " + unsupported.group() + " (" + fk.definition()
                            + "); the key rebuilt over the new column carries over only ON DELETE: change it first");
                }
                TableModel other = model.tableByPhysical(referencing).orElseThrow(() -> new OperationException(where
                        + " references '" + key.name() + "', and an earlier operation drops that table; drop it in "
                        + "an earlier migration"));
                if (other.primaryKey().contains(fk.columns().get(0))) {
                    throw new OperationException(where + " is over '" + fk.columns().get(0) + "', part of that "
                            + "table's primary key; changing it with the key it references is not supported yet");
                }
                Matcher onDelete = ON_DELETE.matcher(definition);
                columns.add(new ReferencingColumn(referencing, fk.columns().get(0), fk.name(),
                        onDelete.find() ? onDelete.group(1) : null));
            }
        });
        return columns;
    }
}
