package dev.tandem.coordinator;

import java.util.List;

/**
 * A table whose existing rows backfill fills.
 *
 * @param table   the physical table
 * @param key     its primary key columns, in order
 * @param columns the physical columns to fill
 */
public record PlannedBackfill(String table, List<String> key, List<Column> columns) {
    public PlannedBackfill {
        key = List.copyOf(key);
        columns = List.copyOf(columns);
    }

    /** @param up the expression over the old row that fills the column */
    public record Column(String column, String up) {
    }
}
