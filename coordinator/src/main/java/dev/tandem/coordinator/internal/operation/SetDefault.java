package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.sql.SqlExpression;

/**
 * The altered column's default: the new version's view supplies it from expand, and contract sets it on the table.
 * A shadow carries the original's default when the operation does not change it.
 */
record SetDefault(SqlExpression value) implements ColumnChange {

    @Override
    public void expand(AlteredColumn column, PhaseContext context) {
        context.versionDefault(column.before().physical(), column.physical(), value);
    }

    @Override
    public void contract(AlteredColumn column, PhaseContext context) {
        context.inTransaction(new Ddl.SetDefault(column.ref(), column.current(context), value));
    }
}
