package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.TableModel;
import java.util.List;

/**
 * A foreign key on the shadow, added NOT VALID at expand and validated before contract. While the key it replaces,
 * dropped with the original column, still holds the final name, it has a temporary one, taken back at contract.
 */
record SetForeignKey(Reference references) implements ColumnChange {

    @Override
    public void expand(AlteredColumn column, PhaseContext context) {
        TableModel referenced = Check.table(context.after(), references.table());
        context.inTransaction(new Ddl.AddConstraint(column.ref(), ConstraintDef.foreignKey(windowName(column),
                List.of(column.physical()), context.table(referenced.physical()),
                List.of(Check.column(referenced, references.column()).physical()), references.onDelete()), true));
    }

    @Override
    public void validate(AlteredColumn column, PhaseContext context) {
        context.beforeTransaction(new Ddl.ValidateConstraint(column.ref(), windowName(column)));
    }

    @Override
    public void contract(AlteredColumn column, PhaseContext context) {
        String name = references.nameOn(column.table(), column.column());
        if (!name.equals(windowName(column))) {
            context.inTransaction(new Ddl.RenameConstraint(column.ref(), windowName(column), name,
                    ConstraintDef.Kind.FOREIGN_KEY));
        }
    }

    /** The shadow's key goes first: MariaDB refuses to drop a column a foreign key needs (error 1553). */
    @Override
    public void rollback(AlteredColumn column, PhaseContext context) {
        context.inTransaction(new Ddl.DropConstraint(column.ref(), windowName(column)));
    }

    private String windowName(AlteredColumn column) {
        return column.windowName(references.nameOn(column.table(), column.column()));
    }
}
