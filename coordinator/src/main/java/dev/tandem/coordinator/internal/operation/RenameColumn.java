package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;

/**
 * Renames a column. The new version's view shows the new name at once; the table column is renamed at
 * contract, in a metadata-only statement.
 */
public record RenameColumn(String table, String from, String to) implements Operation {
    public RenameColumn {
        Check.name("table", table);
        Check.name("from", from);
        Check.name("to", to);
    }

    @Override
    public String kind() {
        return "rename_column";
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel target = Check.table(model, table);
        Check.noColumn(target, to);
        Check.column(target, from).rename(to);
    }

    @Override
    public void expand(PhaseContext context) {
        // only the version view changes
    }

    @Override
    public void contract(PhaseContext context) {
        TableModel before = Check.table(context.before(), table);
        String physical = Check.column(before, from).physical();
        context.finalColumnName(before.physical(), physical)
                .ifPresent(name -> context.renameColumn(before.physical(), physical, name));
    }

    @Override
    public void rollback(PhaseContext context) {
        // expand changed nothing physical
    }
}
