package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.Ddl;

/** The altered column's comment, set at contract. */
record SetComment(String comment) implements ColumnChange {

    @Override
    public void contract(AlteredColumn column, PhaseContext context) {
        context.inTransaction(new Ddl.Comment(column.ref(), column.current(context), comment));
    }
}
