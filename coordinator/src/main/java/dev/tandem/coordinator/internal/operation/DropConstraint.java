package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;

/** Drops a constraint at contract; until then both versions keep writing rows that satisfy it. */
public record DropConstraint(String table, String name) implements Operation {
    public DropConstraint {
        Check.name("table", table);
        Check.name("name", name);
    }

    @Override
    public String kind() {
        return "drop_constraint";
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel target = Check.table(model, table);
        if (!target.hasConstraint(name)) {
            throw new OperationException("table '" + table + "' has no constraint '" + name + "'");
        }
        target.removeConstraint(name);
        model.removeIndex(name);
    }

    @Override
    public void expand(PhaseContext context) {
        // the old version may rely on the constraint until contract
    }

    @Override
    public void contract(PhaseContext context) {
        context.inTransaction(new Ddl.DropConstraint(
                context.table(Check.table(context.before(), table).physical()), name));
    }

    @Override
    public void rollback(PhaseContext context) {
        // expand changed nothing
    }
}
