package dev.tandem.coordinator.internal.ddl;

import dev.tandem.coordinator.PlannedBackfill;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.List;

/**
 * A table whose existing rows need new columns filled.
 *
 * @param table      the physical table
 * @param key        its primary key columns, in order, with their types
 * @param columns    the physical columns to fill, each with the expression over the old row that fills it
 * @param copyTable  with the table-copy strategy, the copy (in the table's schema) whose columns are filled, each
 *                   row inserted whole from the table's; null when the columns are the table's own
 */
public record BackfillTarget(String table, List<KeyColumn> key, List<Fill> columns, String copyTable) {
    public BackfillTarget(String table, List<KeyColumn> key, List<Fill> columns) {
        this(table, key, columns, null);
    }

    /** The target as {@link dev.tandem.coordinator.PlanReport} shows it. */
    public PlannedBackfill planned() {
        return new PlannedBackfill(table, key.stream().map(KeyColumn::name).toList(),
                columns.stream().map(fill -> new PlannedBackfill.Column(fill.column(), fill.up().text())).toList());
    }

    public record KeyColumn(String name, String type) {
    }

    public record Fill(String column, SqlExpression up) {
    }
}
