package dev.tandem.coordinator.operation;

import dev.tandem.coordinator.ddl.ColumnDef;
import dev.tandem.coordinator.ddl.ConstraintDef;
import dev.tandem.coordinator.ddl.Ddl;
import dev.tandem.coordinator.ddl.TableRef;
import dev.tandem.coordinator.schema.ColumnModel;
import dev.tandem.coordinator.schema.Names;
import dev.tandem.coordinator.schema.SchemaModel;
import dev.tandem.coordinator.schema.TableModel;
import dev.tandem.coordinator.sql.Quoting;
import dev.tandem.coordinator.sql.SqlExpression;
import java.util.List;

/**
 * Changes a column's type, nullability, default, check, uniqueness, foreign key or comment.
 *
 * <p>A change the old version could trip over (type, NOT NULL, check, unique, foreign key) goes to a
 * shadow column: expand adds it with NOT VALID constraints, triggers keep it in step with the original in
 * both directions ({@code up}: old row to new value, {@code down}: new row to old value), backfill fills it,
 * and contract validates, drops the original and renames the shadow into its place. A default or comment
 * change needs no shadow: the new version's view supplies the default until contract sets it on the table.
 */
public record AlterColumn(String table, String column, String type, String up, String down, Boolean nullable,
                          @com.fasterxml.jackson.annotation.JsonProperty("default") String defaultValue,
                          String check, Boolean unique, Reference references, String comment)
        implements Operation {
    public AlterColumn {
        Check.name("table", table);
        Check.name("column", column);
        if (type != null) {
            type = Check.type("type", type);
        }
        Check.expression("up", up);
        Check.expression("down", down);
        Check.expression("default", defaultValue);
        Check.expression("check", check);
        if (type == null && nullable == null && defaultValue == null && check == null && unique == null
                && references == null && comment == null) {
            throw new IllegalArgumentException("says nothing to change: give one of type, nullable, default, "
                    + "check, unique, references, comment");
        }
        if (Boolean.FALSE.equals(unique)) {
            throw new IllegalArgumentException("'unique: false' is not supported: drop the constraint with drop_constraint");
        }
        if (type != null && (up == null || down == null)) {
            throw new IllegalArgumentException("a type change needs 'up' (old value to new type) and 'down' "
                    + "(new value to old type)");
        }
    }

    @Override
    public String kind() {
        return "alter_column";
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel target = Check.table(model, table);
        ColumnModel current = Check.column(target, column);
        if (needsShadow()) {
            if (target.primaryKey().contains(current.physical())) {
                throw new OperationException("column '" + column + "' is part of the primary key; changing its "
                        + "type or constraints online is not supported yet");
            }
            if (current.physical().startsWith("_tandem")) {
                throw new OperationException("column '" + column + "' is already altered by this migration; "
                        + "combine the changes into one alter_column");
            }
            String shadow = target.freePhysicalName(Names.bounded("_tandem_" + current.physical()));
            target.replaceColumn(column, new ColumnModel(shadow, column,
                    type != null ? type : current.type(),
                    nullable != null ? nullable : current.nullable(),
                    defaultValue != null ? defaultValue : current.defaultValue()));
        } else if (defaultValue != null) {
            current.setDefaultValue(defaultValue);
        }
        if (references != null) {
            Check.column(Check.table(model, references.table()), references.column());
        }
    }

    private boolean needsShadow() {
        return type != null || nullable != null || check != null || unique != null || references != null;
    }

    @Override
    public void expand(PhaseContext context) {
        TableModel before = Check.table(context.before(), table);
        TableModel after = Check.table(context.after(), table);
        ColumnModel original = Check.column(before, column);
        ColumnModel altered = Check.column(after, column);
        TableRef ref = context.table(before.physical());
        if (!needsShadow()) {
            if (defaultValue != null) {
                context.versionDefault(before.physical(), original.physical(), Check.expression("default", defaultValue));
            }
            return;
        }
        String shadow = altered.physical();
        context.inTransaction(new Ddl.AddColumn(ref, new ColumnDef(shadow, altered.type(), null, false)));
        if (!altered.nullable()) {
            context.inTransaction(new Ddl.AddConstraint(ref, ConstraintDef.check(notNullName(),
                    SqlExpression.parse(Quoting.ident(shadow) + " IS NOT NULL")), true));
        }
        if (check != null) {
            context.inTransaction(new Ddl.AddConstraint(ref, ConstraintDef.check(Names.check(table, column),
                    Columns.physical(after, Check.expression("check", check))), true));
        }
        if (references != null) {
            TableModel referenced = Check.table(context.after(), references.table());
            context.inTransaction(new Ddl.AddConstraint(ref, ConstraintDef.foreignKey(
                    Names.foreignKey(table, column), List.of(shadow), context.table(referenced.physical()),
                    List.of(Check.column(referenced, references.column()).physical()), references.onDelete()), true));
        }
        if (Boolean.TRUE.equals(unique)) {
            context.afterTransaction(new Ddl.CreateIndex(ref, Names.unique(table, column), List.of(shadow), true,
                    null, null));
        }
        // up sees the old version's names, which are the physical names of the columns it had
        SqlExpression upValue = up != null ? Check.expression("up", up)
                : SqlExpression.parse(Quoting.ident(original.physical()));
        SqlExpression downValue = down != null ? Check.expression("down", down)
                : SqlExpression.parse(Quoting.ident(context.finalColumnName(before.physical(), shadow).orElse(column)));
        context.syncUp(before.physical(), shadow, upValue);
        context.syncDown(before.physical(), original.physical(), downValue);
        context.backfill(before.physical(), shadow, upValue);
        if (altered.defaultValue() != null) {
            context.versionDefault(before.physical(), shadow, SqlExpression.fromCatalog(altered.defaultValue()));
        }
    }

    @Override
    public void contract(PhaseContext context) {
        TableModel before = Check.table(context.before(), table);
        ColumnModel original = Check.column(before, column);
        ColumnModel altered = Check.column(Check.table(context.after(), table), column);
        TableRef ref = context.table(before.physical());
        if (!needsShadow()) {
            if (defaultValue != null) {
                context.inTransaction(new Ddl.SetDefault(ref, context.column(before.physical(), original.physical()),
                        Check.expression("default", defaultValue)));
            }
            if (comment != null) {
                context.inTransaction(new Ddl.Comment(ref, context.column(before.physical(), original.physical()),
                        comment));
            }
            return;
        }
        String shadow = altered.physical();
        if (!altered.nullable()) {
            context.beforeTransaction(new Ddl.ValidateConstraint(ref, notNullName()));
        }
        if (check != null) {
            context.beforeTransaction(new Ddl.ValidateConstraint(ref, Names.check(table, column)));
        }
        if (references != null) {
            context.beforeTransaction(new Ddl.ValidateConstraint(ref, Names.foreignKey(table, column)));
        }
        context.dropColumn(before.physical(), original.physical());
        context.finalColumnName(before.physical(), shadow)
                .ifPresent(name -> context.renameColumn(before.physical(), shadow, name));
        String current = context.column(before.physical(), shadow);
        if (!altered.nullable()) {
            context.inTransaction(new Ddl.SetNotNull(ref, current));
            context.inTransaction(new Ddl.DropConstraint(ref, notNullName()));
        }
        if (Boolean.TRUE.equals(unique)) {
            context.inTransaction(new Ddl.AddUniqueUsingIndex(ref, Names.unique(table, column)));
        }
        if (altered.defaultValue() != null) {
            context.inTransaction(new Ddl.SetDefault(ref, current, SqlExpression.fromCatalog(altered.defaultValue())));
        }
        if (comment != null) {
            context.inTransaction(new Ddl.Comment(ref, current, comment));
        }
    }

    @Override
    public void rollback(PhaseContext context) {
        if (needsShadow()) {
            TableModel before = Check.table(context.before(), table);
            String shadow = Check.column(Check.table(context.after(), table), column).physical();
            context.inTransaction(new Ddl.DropColumn(context.table(before.physical()), shadow));
        }
    }

    private String notNullName() {
        return Names.notNullCheck(table, column);
    }
}
