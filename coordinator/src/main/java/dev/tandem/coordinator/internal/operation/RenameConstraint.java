package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;

/**
 * Renames a constraint at contract (metadata only); applications do not name constraints in statements. A check of a
 * table the table-copy strategy copies (MariaDB, which renames no check in place) has its new name on the copy from
 * expand, and the swap brings it.
 */
public record RenameConstraint(String table, String from, String to) implements Operation {
    public RenameConstraint {
        Check.name("table", table);
        Check.name("from", from);
        Check.name("to", to);
    }

    @Override
    public String kind() {
        return "rename_constraint";
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel target = Check.table(model, table);
        if (!target.hasConstraint(from)) {
            throw new OperationException("table '" + table + "' has no constraint '" + from + "'");
        }
        if (target.hasConstraint(to) || model.hasRelationName(to)) {
            throw new OperationException("a constraint, index or table named '" + to + "' already exists");
        }
        target.renameConstraint(from, to);
        model.indexTable(from).ifPresent(physical -> {
            model.removeIndex(from);
            model.addIndex(to, physical);
        });
    }

    @Override
    public void expand(PhaseContext context) {
        TableModel target = Check.table(context.before(), table);
        if (context.before().copied(target.physical())) {
            context.renameCopiedCheck(target.physical(), from, to);
        }
    }

    @Override
    public void contract(PhaseContext context) {
        TableModel target = Check.table(context.before(), table);
        if (!context.before().copied(target.physical())) {
            context.inTransaction(new Ddl.RenameConstraint(context.table(target.physical()), from, to,
                    kind(context.before(), target)));
        }
    }

    /** Whether the constraint this renames in {@code model} is a check (not a foreign key or a unique one). */
    public boolean renamesCheck(SchemaModel model) {
        return model.table(table).map(target -> kind(model, target) == ConstraintDef.Kind.CHECK).orElse(false);
    }

    private ConstraintDef.Kind kind(SchemaModel model, TableModel target) {
        return target.hasForeignKey(from) ? ConstraintDef.Kind.FOREIGN_KEY
                : model.indexTable(from).isPresent() ? ConstraintDef.Kind.UNIQUE : ConstraintDef.Kind.CHECK;
    }

    @Override
    public void rollback(PhaseContext context) {
        // expand changed nothing
    }
}
