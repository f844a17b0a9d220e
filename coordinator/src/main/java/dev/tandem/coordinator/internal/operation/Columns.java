package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Rewrites expressions written with a version's column names to the physical columns behind them. */
final class Columns {
    private Columns() {
    }

    /**
     * @throws OperationException when the expression names a column the version does not have under that
     *     name but the table still stores (renamed, dropped or copied): it would silently read the old column
     */
    static SqlExpression physical(TableModel table, SqlExpression expression) {
        Map<String, String> renames = new HashMap<>();
        for (ColumnModel column : table.columns()) {
            if (!column.name().equals(column.physical())) {
                renames.put(column.name(), column.physical());
            }
        }
        Set<String> names = table.columns().stream().map(ColumnModel::name).collect(Collectors.toSet());
        for (String referenced : expression.referencedNames()) {
            if (!names.contains(referenced) && table.hasPhysicalColumn(referenced)) {
                throw new OperationException("'" + expression + "' names column '" + referenced + "', which table '"
                        + table.name() + "' no longer has under that name in the new version");
            }
        }
        return expression.renameColumns(renames);
    }
}
