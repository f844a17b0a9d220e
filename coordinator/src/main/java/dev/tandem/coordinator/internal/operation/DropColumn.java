package dev.tandem.coordinator.internal.operation;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;

/**
 * Removes a column from the new version at once and from the table at contract. While both versions run,
 * new-version writes fill the old column with {@code down} so the old version still reads a value.
 */
public record DropColumn(String table, String column,
                         @JsonDeserialize(using = PerDatabase.Expression.class) String down) implements Operation {
    public DropColumn {
        Check.name("table", table);
        Check.name("column", column);
        Check.expression("down", down);
    }

    @Override
    public String kind() {
        return "drop_column";
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel target = Check.table(model, table);
        ColumnModel dropped = Check.column(target, column);
        Check.original(model, target, dropped);
        if (target.primaryKey().contains(dropped.physical())) {
            throw new OperationException("column '" + column + "' is part of the primary key of '" + table
                    + "' and cannot be dropped");
        }
        if (!dropped.nullable() && dropped.defaultValue() == null && down == null) {
            throw new OperationException("column '" + column + "' is NOT NULL without a default: give 'down' so "
                    + "new-version inserts still give the old version a value");
        }
        target.removeColumn(column);
    }

    @Override
    public void expand(PhaseContext context) {
        TableModel before = Check.table(context.before(), table);
        if (down != null) {
            context.syncDown(before.physical(), Check.column(before, column).physical(), Check.expression("down", down));
        }
    }

    @Override
    public void contract(PhaseContext context) {
        TableModel before = Check.table(context.before(), table);
        context.dropColumn(before.physical(), Check.column(before, column).physical());
    }

    @Override
    public void rollback(PhaseContext context) {
        // expand changed nothing but the trigger and the version schema, which the engine removes
    }
}
