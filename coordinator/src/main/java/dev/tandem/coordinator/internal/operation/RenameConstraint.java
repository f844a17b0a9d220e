package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;

/** Renames a constraint at contract (metadata only); applications do not name constraints in statements. */
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
        // nothing the old version could notice
    }

    @Override
    public void contract(PhaseContext context) {
        TableModel target = Check.table(context.before(), table);
        ConstraintDef.Kind kind = target.hasForeignKey(from) ? ConstraintDef.Kind.FOREIGN_KEY
                : context.before().indexTable(from).isPresent() ? ConstraintDef.Kind.UNIQUE : ConstraintDef.Kind.CHECK;
        context.inTransaction(new Ddl.RenameConstraint(context.table(target.physical()), from, to, kind));
    }

    @Override
    public void rollback(PhaseContext context) {
        // expand changed nothing
    }
}
