package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;

/** Renames a table: the new version's view has the new name at once, the table is renamed at contract. */
public record RenameTable(String from, String to) implements Operation {
    public RenameTable {
        Check.name("from", from);
        Check.name("to", to);
    }

    @Override
    public String kind() {
        return "rename_table";
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel target = Check.table(model, from);
        Check.noTable(model, to);
        if (model.hasRelationName(to)) {
            throw new OperationException("an index named '" + to + "' already exists");
        }
        target.rename(to);
    }

    @Override
    public void expand(PhaseContext context) {
        // only the version view changes
    }

    @Override
    public void contract(PhaseContext context) {
        String physical = Check.table(context.before(), from).physical();
        context.finalTableName(physical).ifPresent(name -> context.renameTable(physical, name));
    }

    @Override
    public void rollback(PhaseContext context) {
        // expand changed nothing physical
    }
}
