package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.SchemaModel;

/** Drops an index concurrently at contract; the old version keeps its use until then. */
public record DropIndex(String name) implements Operation {
    public DropIndex {
        Check.name("name", name);
    }

    @Override
    public String kind() {
        return "drop_index";
    }

    @Override
    public void apply(SchemaModel model) {
        String table = model.indexTable(name)
                .orElseThrow(() -> new OperationException("index '" + name + "' does not exist"));
        model.tableByPhysical(table).filter(t -> t.hasConstraint(name)).ifPresent(t -> {
            throw new OperationException("index '" + name + "' belongs to constraint '" + name + "' of table '"
                    + t.name() + "': drop the constraint with drop_constraint");
        });
        model.removeIndex(name);
    }

    @Override
    public void expand(PhaseContext context) {
        // the old version may still rely on the index
    }

    @Override
    public void contract(PhaseContext context) {
        String table = context.before().indexTable(name).orElseThrow();
        context.afterTransaction(new Ddl.DropIndex(context.table(table), name));
    }

    @Override
    public void rollback(PhaseContext context) {
        // expand changed nothing
    }
}
