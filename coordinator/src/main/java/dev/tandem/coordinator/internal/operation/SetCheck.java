package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;

/** A check on the shadow, added NOT VALID at expand and validated before contract. */
record SetCheck(CheckSpec check) implements ColumnChange {

    @Override
    public void expand(AlteredColumn column, PhaseContext context) {
        context.inTransaction(new Ddl.AddConstraint(column.ref(), ConstraintDef.check(name(column),
                Columns.physical(column.after(), check.expression())), true));
    }

    @Override
    public void validate(AlteredColumn column, PhaseContext context) {
        context.beforeTransaction(new Ddl.ValidateConstraint(column.ref(), name(column)));
    }

    private String name(AlteredColumn column) {
        return column.windowName(check.nameOn(column.table(), column.column()));
    }
}
