package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.Ddl;
import java.util.List;

/**
 * A unique constraint on the shadow: its index is built concurrently at expand, made the constraint at contract.
 *
 * @param name the constraint's final name
 */
record SetUnique(String name) implements ColumnChange {

    @Override
    public void expand(AlteredColumn column, PhaseContext context) {
        context.afterTransaction(new Ddl.CreateIndex(column.ref(), name(column), List.of(column.physical()), true,
                null, null));
    }

    @Override
    public void contract(AlteredColumn column, PhaseContext context) {
        context.inTransaction(new Ddl.AddUniqueUsingIndex(column.ref(), name(column)));
    }

    private String name(AlteredColumn column) {
        return column.windowName(name);
    }
}
