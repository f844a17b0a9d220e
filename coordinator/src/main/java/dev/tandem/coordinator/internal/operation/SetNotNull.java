package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.Names;

/**
 * A shadow that is NOT NULL in the new version: a NOT VALID check stands for NOT NULL while the old version may
 * still leave it NULL, and becomes NOT NULL at contract.
 */
record SetNotNull() implements ColumnChange {

    @Override
    public void expand(AlteredColumn column, PhaseContext context) {
        context.inTransaction(new Ddl.AddNotNullCheck(column.ref(), name(column), column.physical()));
    }

    @Override
    public void validate(AlteredColumn column, PhaseContext context) {
        context.beforeTransaction(new Ddl.ValidateConstraint(column.ref(), name(column), column.physical()));
    }

    @Override
    public void contract(AlteredColumn column, PhaseContext context) {
        context.inTransaction(new Ddl.SetNotNull(column.ref(), column.current(context)));
        context.inTransaction(new Ddl.DropConstraint(column.ref(), name(column)));
    }

    private static String name(AlteredColumn column) {
        return Names.notNullCheck(column.table(), column.column());
    }
}
