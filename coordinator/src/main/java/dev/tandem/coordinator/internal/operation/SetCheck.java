package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.Names;

/** A check on the shadow, added NOT VALID at expand and validated before contract. */
record SetCheck(String check) implements ColumnChange {

    @Override
    public void expand(AlteredColumn column, PhaseContext context) {
        context.inTransaction(new Ddl.AddConstraint(column.ref(), ConstraintDef.check(name(column),
                Columns.physical(column.after(), Check.expression("check", check))), true));
    }

    @Override
    public void validate(AlteredColumn column, PhaseContext context) {
        context.beforeTransaction(new Ddl.ValidateConstraint(column.ref(), name(column)));
    }

    private static String name(AlteredColumn column) {
        return column.windowName(Names.check(column.table(), column.column()));
    }
}
