package dev.tandem.coordinator.internal.ddl;

import dev.tandem.coordinator.PlannedBackfill;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.ArrayList;
import java.util.List;

/**
 * A table whose existing rows need new columns filled, or copied into another table.
 *
 * @param table      the physical table
 * @param key        its primary key columns, in order, with their types
 * @param columns    the physical columns to fill, each with the expression over the old row that fills it
 * @param copy       instead of filling columns: another table that gets a row for each of this table's rows that
 *                   holds a value to copy; else null
 */
public record BackfillTarget(String table, List<KeyColumn> key, List<Fill> columns, Copy copy) {
    public BackfillTarget(String table, List<KeyColumn> key, List<Fill> columns) {
        this(table, key, columns, null);
    }

    /** The target as {@link dev.tandem.coordinator.PlanReport} shows it. */
    public PlannedBackfill planned() {
        List<PlannedBackfill.Column> planned = new ArrayList<>(columns.stream()
                .map(fill -> new PlannedBackfill.Column(fill.column(), fill.up().text())).toList());
        for (int i = 0; copy != null && i < copy.columns().size(); i++) {
            planned.add(new PlannedBackfill.Column(copy.to().name() + "." + copy.toColumns().get(i),
                    copy.columns().get(i)));
        }
        return new PlannedBackfill(table, key.stream().map(KeyColumn::name).toList(), planned);
    }

    public record KeyColumn(String name, String type) {
    }

    public record Fill(String column, SqlExpression up) {
    }

    /**
     * Inserts into {@code to} a row for each row of the table where one of {@code columns} is not NULL: the table's
     * one-column key goes to {@code toKey}, {@code columns} to {@code toColumns}. A row {@code to} has already, by
     * that key, is left as it is: the copy triggers wrote it, after the row was read.
     */
    public record Copy(TableRef to, String toKey, List<String> columns, List<String> toColumns) {
    }
}
