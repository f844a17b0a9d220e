package dev.tandem.coordinator.internal.operation;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds a column. Existing rows get {@code up} (or a non-constant default) from the backfill; old-version
 * inserts get {@code up} from the sync trigger. NOT NULL, check and foreign key start as NOT VALID
 * constraints and are validated at contract; unique starts as a concurrently built unique index. On a table the
 * table-copy strategy copies, the column is the copy's alone, with its constraints, filled by {@code up} (or its
 * default) as every other column of the copy is.
 */
public record AddColumn(String table, ColumnSpec column,
                        @JsonDeserialize(using = PerDatabase.Expression.class) String up) implements Operation {
    public AddColumn {
        Check.name("table", table);
        Check.required("column", column);
        Check.expression("up", up);
    }

    @Override
    public String kind() {
        return "add_column";
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel target = Check.table(model, table);
        Check.noColumn(target, column.name());
        if (column.isPrimaryKey()) {
            throw new OperationException("add_column cannot add a primary key column; create the key with create_constraint");
        }
        if (!column.isNullable() && column.defaultValue() == null && up == null) {
            throw new OperationException("column '" + column.name()
                    + "' is NOT NULL: give 'up' or 'default' so existing rows and old-version inserts get a value");
        }
        if (column.references() != null) {
            Check.referencedColumn(model, Check.table(model, column.references().table()), column.references().column());
        }
        if (column.check() != null) {
            Check.freeConstraintName(model, target, column.checkName(table), false);
            target.addConstraint(column.checkName(table));
        }
        if (column.references() != null) {
            Check.freeConstraintName(model, target, column.foreignKeyName(table), false);
            target.addConstraint(column.foreignKeyName(table));
        }
        if (column.isUnique()) {
            Check.freeConstraintName(model, target, column.uniqueName(table), true);
            target.addConstraint(column.uniqueName(table));
            model.addIndex(column.uniqueName(table), target.physical());
        }
        String physical = target.freePhysicalName(column.name());
        target.addColumn(new ColumnModel(physical, column.name(), column.type(), column.isNullable(),
                column.defaultValue()));
    }

    @Override
    public void expand(PhaseContext context) {
        TableModel before = Check.table(context.before(), table);
        TableModel after = Check.table(context.after(), table);
        String physical = after.column(column.name()).orElseThrow().physical();
        TableRef ref = context.table(before.physical());
        SqlExpression defaultValue = column.defaultExpression();
        boolean constantDefault = defaultValue != null && defaultValue.isConstant();
        if (copied(context)) {
            copy(context, after, physical, defaultValue);
            return;
        }

        context.inTransaction(new Ddl.AddColumn(ref,
                new ColumnDef(physical, column.type(), constantDefault ? defaultValue : null, false, column.comment())));
        if (defaultValue != null && !constantDefault) {
            // A volatile default inside ADD COLUMN would rewrite the table under an exclusive lock.
            context.inTransaction(new Ddl.SetDefault(ref, physical, defaultValue));
        }
        if (!column.isNullable()) {
            context.inTransaction(new Ddl.AddNotNullCheck(ref, notNullName(), physical));
        }
        if (column.check() != null) {
            context.inTransaction(new Ddl.AddConstraint(ref, ConstraintDef.check(column.checkName(table),
                    Columns.physical(after, column.checkExpression())), true));
        }
        if (column.references() != null) {
            TableModel referenced = Check.table(context.after(), column.references().table());
            context.inTransaction(new Ddl.AddConstraint(ref, ConstraintDef.foreignKey(
                    column.foreignKeyName(table), List.of(physical),
                    context.table(referenced.physical()),
                    List.of(Check.column(referenced, column.references().column()).physical()),
                    column.references().onDelete()), true));
        }
        if (column.comment() != null) {
            context.inTransaction(new Ddl.Comment(ref, physical, column.comment(), true));
        }
        if (column.isUnique()) {
            context.afterTransaction(new Ddl.CreateIndex(ref, column.uniqueName(table),
                    List.of(physical), true, null, null));
        }
        SqlExpression fill = up != null ? Check.expression("up", up) : constantDefault ? null : defaultValue;
        if (up != null) {
            context.syncUp(before.physical(), physical, fill);
        }
        if (fill != null) {
            context.backfill(before.physical(), physical, fill);
        }
    }

    /**
     * The table-copy strategy: the copy's column, NOT NULL, check, unique constraint and foreign key as the new version
     * has them; the planner adds it to the copy (whose constraints are checked for every row written into it) and
     * swaps the copy in at contract.
     */
    private void copy(PhaseContext context, TableModel after, String physical, SqlExpression defaultValue) {
        List<ConstraintDef> constraints = new ArrayList<>();
        if (column.check() != null) {
            constraints.add(ConstraintDef.check(column.checkName(table), Columns.physical(after,
                    column.checkExpression())));
        }
        if (column.isUnique()) {
            constraints.add(ConstraintDef.unique(column.uniqueName(table), List.of(physical)));
        }
        if (column.references() != null) {
            TableModel referenced = Check.table(context.after(), column.references().table());
            constraints.add(ConstraintDef.foreignKey(column.foreignKeyName(table), List.of(physical),
                    context.table(referenced.physical()), List.of(Check.column(referenced,
                            column.references().column()).physical()), column.references().onDelete()));
        }
        SqlExpression fill = up != null ? Check.expression("up", up) : defaultValue != null ? defaultValue
                : SqlExpression.parse("NULL");
        // the copy is empty: a non-constant default (CURRENT_TIMESTAMP) costs no rewrite there, and the new version's
        // inserts, and the table after the swap, need it
        context.copyColumn(Check.table(context.before(), table).physical(), new ColumnDef(physical, column.type(),
                defaultValue, !column.isNullable(), column.comment()), fill, null, constraints);
    }

    private boolean copied(PhaseContext context) {
        return context.before().copied(Check.table(context.before(), table).physical());
    }

    @Override
    public void contract(PhaseContext context) {
        if (copied(context)) {
            return; // the planner swaps the copy in for the whole table
        }
        TableModel before = Check.table(context.before(), table);
        String physical = Check.table(context.after(), table).column(column.name()).orElseThrow().physical();
        TableRef ref = context.table(before.physical());
        if (!column.isNullable()) {
            context.beforeTransaction(new Ddl.ValidateConstraint(ref, notNullName(), physical));
        }
        if (column.check() != null) {
            context.beforeTransaction(new Ddl.ValidateConstraint(ref, column.checkName(table)));
        }
        if (column.references() != null) {
            context.beforeTransaction(new Ddl.ValidateConstraint(ref, column.foreignKeyName(table)));
        }
        if (!column.isNullable()) {
            context.inTransaction(new Ddl.SetNotNull(ref, context.column(before.physical(), physical)));
            context.inTransaction(new Ddl.DropConstraint(ref, notNullName()));
        }
        if (column.isUnique()) {
            context.inTransaction(new Ddl.AddUniqueUsingIndex(ref, column.uniqueName(table)));
        }
        context.finalColumnName(before.physical(), physical)
                .ifPresent(name -> context.renameColumn(before.physical(), physical, name));
    }

    @Override
    public void rollback(PhaseContext context) {
        if (copied(context)) {
            return; // the planner drops the copy
        }
        TableModel before = Check.table(context.before(), table);
        String physical = Check.table(context.after(), table).column(column.name()).orElseThrow().physical();
        TableRef ref = context.table(before.physical());
        if (column.references() != null) {
            // MariaDB refuses to drop a column a foreign key still needs (error 1553); PostgreSQL drops both anyway
            context.inTransaction(new Ddl.DropConstraint(ref, column.foreignKeyName(table)));
        }
        context.inTransaction(new Ddl.DropColumn(ref, physical));
    }

    private String notNullName() {
        return Names.notNullCheck(table, column.name());
    }
}
