package dev.tandem.coordinator.operation;

import dev.tandem.coordinator.ddl.Ddl;
import dev.tandem.coordinator.schema.SchemaModel;

/** Hides a table from the new version at once and drops it at contract. */
public record DropTable(String table) implements Operation {
    public DropTable {
        Check.name("table", table);
    }

    @Override
    public String kind() {
        return "drop_table";
    }

    @Override
    public void apply(SchemaModel model) {
        Check.table(model, table);
        model.removeTable(table);
    }

    @Override
    public void expand(PhaseContext context) {
        // only the version view changes
    }

    @Override
    public void contract(PhaseContext context) {
        String physical = Check.table(context.before(), table).physical();
        context.inTransaction(new Ddl.DropTable(context.table(physical)));
    }

    @Override
    public void rollback(PhaseContext context) {
        // expand changed nothing physical
    }
}
