package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import java.util.List;

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
        List<String> references = model.foreignKeysTo(Check.table(model, table).physical());
        if (!references.isEmpty()) {
            throw new OperationException("table '" + table + "' is referenced by foreign key "
                    + String.join(", ", references) + ": drop it with drop_constraint before drop_table");
        }
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
