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
 * @param rowCopy    instead of filling columns: another table that gets a row for each of this table's rows that
 *                   holds a value to copy; else null
 * @param copyTable  with the table-copy strategy, the copy (in the table's schema) whose columns are filled, each
 *                   row inserted whole from the table's; null when the columns are the table's own
 * @param serialCopy a copy whose batches cannot overlap: it has an AUTO_INCREMENT column, whose table lock each
 *                   {@code INSERT … SELECT} into it holds to its end ({@code innodb_autoinc_lock_mode} 1, the default),
 *                   even for keys it is given; so it is one key range, for one worker
 * @param restated   columns a batch that fills the table's own columns sets to themselves, so that the database does
 *                   not change them by itself ({@code ON UPDATE CURRENT_TIMESTAMP}, MySQL family)
 */
public record BackfillTarget(String table, List<KeyColumn> key, List<Fill> columns, RowCopy rowCopy,
                             String copyTable, boolean serialCopy, List<String> restated) {
    public BackfillTarget(String table, List<KeyColumn> key, List<Fill> columns) {
        this(table, key, columns, null, null, false, List.of());
    }

    /** The table's own columns filled, the {@code restated} ones set to themselves by each batch. */
    public static BackfillTarget inPlace(String table, List<KeyColumn> key, List<Fill> columns, List<String> restated) {
        return new BackfillTarget(table, key, columns, null, null, false, restated);
    }

    /** Rows copied into another table instead of columns filled. */
    public static BackfillTarget rowCopy(String table, List<KeyColumn> key, RowCopy rowCopy) {
        return new BackfillTarget(table, key, List.of(), rowCopy, null, false, List.of());
    }

    /** Columns filled in the table's copy ({@code copyTable}), with the table-copy strategy. */
    public static BackfillTarget inCopy(String table, List<KeyColumn> key, List<Fill> columns, String copyTable,
                                        boolean serial) {
        return new BackfillTarget(table, key, columns, null, copyTable, serial, List.of());
    }

    /** The target as {@link dev.tandem.coordinator.PlanReport} shows it. */
    public PlannedBackfill planned() {
        List<PlannedBackfill.Column> planned = new ArrayList<>(columns.stream()
                .map(fill -> new PlannedBackfill.Column(fill.column(), fill.up().text())).toList());
        for (int i = 0; rowCopy != null && i < rowCopy.columns().size(); i++) {
            planned.add(new PlannedBackfill.Column(rowCopy.to().name() + "." + rowCopy.toColumns().get(i),
                    rowCopy.columns().get(i)));
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
    public record RowCopy(TableRef to, String toKey, List<String> columns, List<String> toColumns) {
    }
}
