package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ConstraintKind;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import dev.tandem.coordinator.internal.sql.Quoting;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Changes a column's type, nullability, default, check, uniqueness, foreign key or comment.
 *
 * <p>A change the old version could trip over (type, NOT NULL, check, unique, foreign key) goes to a
 * shadow column: expand adds it with NOT VALID constraints, triggers keep it in step with the original in
 * both directions ({@code up}: old row to new value, {@code down}: new row to old value), backfill fills it,
 * and contract validates, drops the original and renames the shadow into its place. A default or comment
 * change needs no shadow: the new version's view supplies the default until contract sets it on the table.
 *
 * <p>A shadowed column ends up last in the table's column order. Dropping the original at contract drops
 * its indexes and constraints with it: plain-column indexes and unique constraints are rebuilt on the shadow
 * concurrently at expand and take their names back at contract; a column with any other index or
 * constraint (checks, foreign keys other than the one {@code references} replaces, expression or partial
 * indexes) is refused.
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
        boolean nullabilityChanges = nullable != null && nullable != current.nullable();
        if (type != null || nullabilityChanges || check != null || unique != null || references != null) {
            requireShadowable(model, target, current);
            if (nullabilityChanges && !nullable && up == null) {
                throw new OperationException("making '" + column + "' NOT NULL needs 'up', so rows the old version "
                        + "writes with NULL get a value");
            }
            if (nullabilityChanges && nullable && down == null) {
                throw new OperationException("making '" + column + "' nullable needs 'down', so the old version, "
                        + "which still requires a value, gets one when the new version writes NULL");
            }
            String shadow = target.freePhysicalName(Names.bounded("_tandem_" + current.physical()));
            target.replaceColumn(column, new ColumnModel(shadow, column,
                    type != null ? type : current.type(),
                    nullable != null ? nullable : current.nullable(),
                    defaultValue != null ? defaultValue : current.defaultValue()));
            constraintNames(model, target, current).keySet().forEach(target::addConstraint);
            if (unique != null) {
                model.addIndex(Names.unique(table, column), target.physical());
            }
        } else if (defaultValue != null) {
            current.setDefaultValue(defaultValue);
        }
        if (references != null) {
            Check.column(Check.table(model, references.table()), references.column());
        }
    }

    /** Refuses a column whose shadow copy would lose data or structure at contract. */
    private void requireShadowable(SchemaModel model, TableModel target, ColumnModel current) {
        if (target.primaryKey().contains(current.physical())) {
            throw new OperationException("column '" + column + "' is part of the primary key; changing its "
                    + "type or constraints online is not supported yet");
        }
        if (Check.original(model, target, current).generated()) {
            throw new OperationException("column '" + column + "' is an identity or generated column; changing its "
                    + "type or constraints online is not supported yet");
        }
        TreeSet<String> lost = new TreeSet<>();
        List<String> carried = carriedIndexes(model, target, current).stream().map(CatalogSnapshot.Index::name).toList();
        model.originalIndexes(target.physical(), current.physical()).stream()
                .filter(i -> !carried.contains(i.name())).forEach(i -> lost.add(Check.quote(i.name())));
        // NOT NULL (a constraint of kind n on PostgreSQL 18) is carried over by the shadow itself
        model.originalConstraints(target.physical(), current.physical()).stream()
                .filter(k -> k.kind() != ConstraintKind.NOT_NULL && !replacedByReferences(k, current))
                .filter(k -> !(k.kind() == ConstraintKind.UNIQUE && carried.contains(k.name())))
                .forEach(k -> lost.add(Check.quote(k.name())));
        if (!lost.isEmpty()) {
            throw new OperationException("column '" + column + "' has index or constraint " + String.join(", ", lost)
                    + ", which this change would lose: it copies the column and drops the original at contract, and "
                    + "carries over only plain-column indexes and unique constraints. Drop them in an earlier migration "
                    + "and create them again in a later one");
        }
    }

    /**
     * The original indexes over the column that the shadow gets a copy of: plain-column indexes, either on their
     * own or backing a unique constraint. Each copy is built concurrently at expand under a temporary name and
     * takes the original's name (and constraint) at contract, once the original went with its column.
     */
    private static List<CatalogSnapshot.Index> carriedIndexes(SchemaModel model, TableModel table, ColumnModel column) {
        List<String> constraints = model.originalConstraints(table.physical(), column.physical()).stream()
                .filter(k -> k.kind() != ConstraintKind.UNIQUE).map(CatalogSnapshot.Constraint::name).toList();
        return model.originalIndexes(table.physical(), column.physical()).stream()
                .filter(i -> i.simple() && !i.primary() && !constraints.contains(i.name())).toList();
    }

    private static boolean backsUniqueConstraint(SchemaModel model, TableModel table, ColumnModel column,
                                                 CatalogSnapshot.Index index) {
        return model.originalConstraints(table.physical(), column.physical()).stream()
                .anyMatch(k -> k.kind() == ConstraintKind.UNIQUE && k.name().equals(index.name()));
    }

    private static String copyName(CatalogSnapshot.Index index) {
        return Names.bounded("_tandem_" + index.name());
    }

    private boolean replacedByReferences(CatalogSnapshot.Constraint constraint, ColumnModel current) {
        return references != null && constraint.kind() == ConstraintKind.FOREIGN_KEY
                && constraint.columns().equals(List.of(current.physical()));
    }

    /**
     * The constraints the shadow gets: final name to the name it has until contract. A foreign key takes a
     * temporary name while the key it replaces, dropped with the original column, still holds the final one.
     */
    private Map<String, String> constraintNames(SchemaModel model, TableModel table, ColumnModel original) {
        List<String> names = new ArrayList<>();
        if (check != null) {
            names.add(Names.check(this.table, column));
        }
        if (unique != null) {
            names.add(Names.unique(this.table, column));
        }
        if (references != null) {
            names.add(Names.foreignKey(this.table, column));
        }
        Map<String, String> windowNames = new LinkedHashMap<>();
        List<String> replaced = model.originalConstraints(table.physical(), original.physical()).stream()
                .filter(k -> replacedByReferences(k, original)).map(CatalogSnapshot.Constraint::name).toList();
        for (String name : names) {
            if (replaced.contains(name)) {
                windowNames.put(name, Names.bounded("_tandem_" + name));
            } else if (table.hasConstraint(name) || model.hasRelationName(name)) {
                throw new OperationException("a constraint, index or table named '" + name + "' already exists");
            } else {
                windowNames.put(name, name);
            }
        }
        return windowNames;
    }

    @Override
    public void expand(PhaseContext context) {
        TableModel before = Check.table(context.before(), table);
        TableModel after = Check.table(context.after(), table);
        ColumnModel original = Check.column(before, column);
        ColumnModel altered = Check.column(after, column);
        TableRef ref = context.table(before.physical());
        if (!isShadowed(original, altered)) {
            if (defaultValue != null) {
                context.versionDefault(before.physical(), original.physical(), Check.expression("default", defaultValue));
            }
            return;
        }
        String shadow = altered.physical();
        Map<String, String> names = constraintNames(context.before(), before, original);
        context.inTransaction(new Ddl.AddColumn(ref, new ColumnDef(shadow, altered.type(), null, false)));
        if (!altered.nullable()) {
            context.inTransaction(new Ddl.AddConstraint(ref, ConstraintDef.check(notNullName(),
                    SqlExpression.parse(Quoting.ident(shadow) + " IS NOT NULL")), true));
        }
        if (check != null) {
            context.inTransaction(new Ddl.AddConstraint(ref, ConstraintDef.check(names.get(Names.check(table, column)),
                    Columns.physical(after, Check.expression("check", check))), true));
        }
        if (references != null) {
            TableModel referenced = Check.table(context.after(), references.table());
            context.inTransaction(new Ddl.AddConstraint(ref, ConstraintDef.foreignKey(
                    names.get(Names.foreignKey(table, column)), List.of(shadow), context.table(referenced.physical()),
                    List.of(Check.column(referenced, references.column()).physical()), references.onDelete()), true));
        }
        if (unique != null) {
            context.afterTransaction(new Ddl.CreateIndex(ref, names.get(Names.unique(table, column)), List.of(shadow),
                    true, null, null));
        }
        for (CatalogSnapshot.Index index : carriedIndexes(context.before(), before, original)) {
            context.afterTransaction(new Ddl.CreateIndex(ref, copyName(index), index.columns().stream()
                    .map(c -> c.equals(original.physical()) ? shadow : c).toList(), index.unique(), index.method(),
                    null));
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
        if (!isShadowed(original, altered)) {
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
        Map<String, String> names = constraintNames(context.before(), before, original);
        if (!altered.nullable()) {
            context.beforeTransaction(new Ddl.ValidateConstraint(ref, notNullName(), shadow));
        }
        if (check != null) {
            context.beforeTransaction(new Ddl.ValidateConstraint(ref, names.get(Names.check(table, column))));
        }
        if (references != null) {
            context.beforeTransaction(new Ddl.ValidateConstraint(ref, names.get(Names.foreignKey(table, column))));
        }
        context.dropColumn(before.physical(), original.physical());
        context.finalColumnName(before.physical(), shadow)
                .ifPresent(name -> context.renameColumn(before.physical(), shadow, name));
        String current = context.column(before.physical(), shadow);
        if (!altered.nullable()) {
            context.inTransaction(new Ddl.SetNotNull(ref, current));
            context.inTransaction(new Ddl.DropConstraint(ref, notNullName()));
        }
        if (unique != null) {
            context.inTransaction(new Ddl.AddUniqueUsingIndex(ref, names.get(Names.unique(table, column))));
        }
        for (CatalogSnapshot.Index index : carriedIndexes(context.before(), before, original)) {
            context.inTransaction(new Ddl.RenameIndex(ref, copyName(index), index.name()));
            if (backsUniqueConstraint(context.before(), before, original, index)) {
                context.inTransaction(new Ddl.AddUniqueUsingIndex(ref, index.name()));
            }
        }
        names.forEach((name, windowName) -> {
            if (!name.equals(windowName)) {
                context.inTransaction(new Ddl.RenameConstraint(ref, windowName, name,
                        ConstraintDef.Kind.FOREIGN_KEY));
            }
        });
        if (altered.defaultValue() != null) {
            context.inTransaction(new Ddl.SetDefault(ref, current, SqlExpression.fromCatalog(altered.defaultValue())));
        }
        if (comment != null) {
            context.inTransaction(new Ddl.Comment(ref, current, comment));
        }
    }

    @Override
    public void rollback(PhaseContext context) {
        TableModel before = Check.table(context.before(), table);
        ColumnModel original = Check.column(before, column);
        ColumnModel altered = Check.column(Check.table(context.after(), table), column);
        if (isShadowed(original, altered)) {
            TableRef ref = context.table(before.physical());
            if (references != null) {
                // the shadow's key goes first: MariaDB refuses to drop a column a foreign key needs (error 1553)
                context.inTransaction(new Ddl.DropConstraint(ref,
                        constraintNames(context.before(), before, original).get(Names.foreignKey(table, column))));
            }
            context.inTransaction(new Ddl.DropColumn(ref, altered.physical()));
        }
    }

    private static boolean isShadowed(ColumnModel original, ColumnModel altered) {
        return !original.physical().equals(altered.physical());
    }

    private String notNullName() {
        return Names.notNullCheck(table, column);
    }
}
