package dev.tandem.coordinator.operation;

import dev.tandem.coordinator.schema.ColumnModel;
import dev.tandem.coordinator.schema.TableModel;
import dev.tandem.coordinator.sql.SqlExpression;
import java.util.HashMap;
import java.util.Map;

/** Rewrites expressions written with a version's column names to the physical columns behind them. */
final class Columns {
    private Columns() {
    }

    static SqlExpression physical(TableModel table, SqlExpression expression) {
        Map<String, String> renames = new HashMap<>();
        for (ColumnModel column : table.columns()) {
            if (!column.name().equals(column.physical())) {
                renames.put(column.name(), column.physical());
            }
        }
        return expression.renameColumns(renames);
    }
}
