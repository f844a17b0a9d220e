package dev.tandem.coordinator.operation;

import dev.tandem.coordinator.ddl.Ddl;
import dev.tandem.coordinator.schema.SchemaModel;

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
        if (!model.hasIndex(name)) {
            throw new OperationException("index '" + name + "' does not exist");
        }
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
