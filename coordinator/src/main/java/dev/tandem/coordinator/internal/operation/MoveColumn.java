package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.ddl.CopyTrigger;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import java.util.List;

/**
 * Moves a column's values to another table, one row there per source row ({@code keep_source}: copies them, and the
 * new version sees both columns, which are independent after contract). While both versions run, the old version
 * writes the source column and a trigger on the source table upserts the destination row; the new version writes the
 * destination and a trigger on it sets the source column (NULL when it deletes the row). Each trigger carries only
 * its own version's writes, so a copied write never comes back. The backfill inserts a destination row for each
 * existing source row that holds a value; contract drops the triggers (and, for a move, the source column).
 */
public record MoveColumn(String table, String column, ColumnDestination to,
                         Boolean keepSource) implements Operation {
    public MoveColumn {
        Check.name("table", table);
        Check.name("column", column);
        Check.required("to", to);
    }

    @Override
    public String kind() {
        return "move_column";
    }

    /** True when the source column stays: the values are copied, not moved. */
    public boolean keepsSource() {
        return Boolean.TRUE.equals(keepSource);
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel source = Check.table(model, table);
        ColumnModel value = Check.column(source, column);
        Check.original(model, source, value);
        if (source.primaryKey().size() != 1) {
            throw new OperationException("move_column needs a one-column primary key on '" + table + "' to match its rows "
                    + "with '" + to.table() + "' rows; it has " + (source.primaryKey().isEmpty() ? "none"
                    : "(" + String.join(", ", source.primaryKey()) + ")"));
        }
        if (source.primaryKey().contains(value.physical())) {
            throw new OperationException("column '" + column + "' is the primary key of '" + table + "'");
        }
        TableModel destination = Check.table(model, to.table());
        if (destination == source) {
            throw new OperationException("'to.table' is '" + table + "' itself; move_column copies to another table");
        }
        Check.column(destination, to.column());
        Check.column(destination, to.key());
        if (to.column().equals(to.key())) {
            throw new OperationException("'to.column' and 'to.key' are both '" + to.key() + "'");
        }
        if (!keepsSource()) {
            if (!value.nullable() && value.defaultValue() == null) {
                throw new OperationException("column '" + column + "' is NOT NULL without a default, and the new "
                        + "version no longer writes it; make it nullable or give it a default first (alter_column)");
            }
            Check.removeOriginalColumn(model, source, value);
        }
    }

    @Override
    public void expand(PhaseContext context) {
        Columns c = columns(context);
        context.inTransaction(new Ddl.CreateCopyTrigger(c.fromSource()));
        context.inTransaction(new Ddl.CreateCopyTrigger(c.fromDestination()));
        context.copyRows(c.source().physical(), new BackfillTarget.RowCopy(context.table(c.destination().physical()),
                c.key(), List.of(c.value()), List.of(c.copy())));
    }

    @Override
    public void contract(PhaseContext context) {
        Columns c = columns(context);
        context.inTransaction(new Ddl.DropCopyTrigger(c.fromSource()));
        context.inTransaction(new Ddl.DropCopyTrigger(c.fromDestination()));
        if (!keepsSource()) {
            context.dropColumn(c.source().physical(), c.value());
        }
    }

    /** The triggers go; rows the backfill or the triggers put in the destination stay. */
    @Override
    public void rollback(PhaseContext context) {
        Columns c = columns(context);
        context.inTransaction(new Ddl.DropCopyTrigger(c.fromSource()));
        context.inTransaction(new Ddl.DropCopyTrigger(c.fromDestination()));
    }

    private Columns columns(PhaseContext context) {
        TableModel source = Check.table(context.before(), table);
        TableModel destination = Check.table(context.before(), to.table());
        return new Columns(context, source, destination, Check.column(source, column).physical(),
                Check.column(destination, to.column()).physical(), Check.column(destination, to.key()).physical());
    }

    /** The physical tables and columns of one phase, and the two triggers between them. */
    private record Columns(PhaseContext context, TableModel source, TableModel destination, String value, String copy,
                           String key) {
        CopyTrigger fromSource() {
            return new CopyTrigger(context.table(source.physical()), name(source, value), context.functionSchema(),
                    context.versionSchema(), false, false, CopyTrigger.Mode.UPSERT,
                    List.of(source.primaryKey().get(0), value), context.table(destination.physical()), List.of(key, copy), 1);
        }

        CopyTrigger fromDestination() {
            return new CopyTrigger(context.table(destination.physical()), name(destination, copy),
                    context.functionSchema(), context.versionSchema(), true, false, CopyTrigger.Mode.UPDATE,
                    List.of(key, copy), context.table(source.physical()), List.of(source.primaryKey().get(0), value), 1);
        }

        private String name(TableModel table, String column) {
            return Names.bounded("_tandem_" + context.migrationName() + "_" + table.physical() + "_" + column + "_copy");
        }
    }
}
