package dev.tandem.coordinator.internal.operation;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
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
import java.util.Optional;
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
 * concurrently at expand, checks added to it NOT VALID, and all take their names back at contract; a column with any
 * other index or constraint (foreign keys other than the one {@code references} replaces, expression or partial
 * indexes) is refused.
 *
 * <p>A one-column primary key may change its type (int to bigint): every column whose foreign key references it gets
 * a shadow of the new type too, kept in step by the same {@code up} and {@code down} over its own column, and
 * {@link SwappedPrimaryKey} moves the primary key, the key's sequence and the foreign keys to the shadows.
 *
 * <p>This record checks the change and models the shadow; each kind of change is a {@link ColumnChange} of its own
 * ({@link SetNotNull}, {@link SetCheck}, {@link SetUnique}, {@link CarriedIndexes}, {@link SetForeignKey},
 * {@link SetDefault}, {@link SetComment}, {@link SwappedPrimaryKey}), composed here as pgroll's alter_column composes
 * its sub-operations.
 */
public record AlterColumn(String table, String column, String type,
                          @JsonDeserialize(using = PerDatabase.Expression.class) String up,
                          @JsonDeserialize(using = PerDatabase.Expression.class) String down, Boolean nullable,
                          @com.fasterxml.jackson.annotation.JsonProperty("default")
                          @JsonDeserialize(using = PerDatabase.Expression.class) String defaultValue,
                          CheckSpec check, UniqueSpec unique, Reference references, String comment,
                          String strategy)
        implements Operation {
    /** {@code strategy}: the table-copy strategy, MariaDB's ({@link SchemaModel#copied}). */
    public static final String COPY = "copy";
    /** {@code strategy}: a shadow column in the table itself. */
    public static final String IN_PLACE = "in_place";

    public AlterColumn {
        Check.name("table", table);
        Check.name("column", column);
        if (type != null) {
            type = Check.type("type", type);
        }
        Check.expression("up", up);
        Check.expression("down", down);
        Check.expression("default", defaultValue);
        if (type == null && nullable == null && defaultValue == null && check == null && unique == null
                && references == null && comment == null) {
            throw new IllegalArgumentException("says nothing to change: give one of type, nullable, default, "
                    + "check, unique, references, comment");
        }
        if (unique != null && !unique.unique()) {
            throw new IllegalArgumentException("'unique: false' is not supported: drop the constraint with drop_constraint");
        }
        if (strategy != null && !strategy.equals(COPY) && !strategy.equals(IN_PLACE)) {
            throw new IllegalArgumentException("'strategy' is '" + strategy + "': give copy or in_place, or leave it out"
                    + " for Tandem to choose");
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
        boolean copied = model.copied(target.physical());
        if (type != null || nullabilityChanges || check != null || unique != null || references != null || copied) {
            if (!copied && target.primaryKey().contains(current.physical())) {
                requireKeyChange(model, target, current);
                for (ReferencingColumn referencing : ReferencingColumn.of(model, target, current)) {
                    TableModel other = model.tableByPhysical(referencing.table()).orElseThrow();
                    ColumnModel original = other.columnByPhysical(referencing.column()).orElseThrow();
                    requireShadowable(model, other, original, List.of(referencing.key()));
                    other.replaceColumn(original.name(), new ColumnModel(
                            other.freePhysicalName(Names.bounded("_tandem_" + original.physical())), original.name(),
                            type, original.nullable(), original.defaultValue()));
                }
            }
            if (!copied) {
                requireShadowable(model, target, current, primaryKeyName(model, target, current).stream().toList());
            }
            if (nullabilityChanges && !nullable && up == null) {
                throw new OperationException("making '" + column + "' NOT NULL needs 'up', so rows the old version "
                        + "writes with NULL get a value");
            }
            if (nullabilityChanges && nullable && down == null) {
                throw new OperationException("making '" + column + "' nullable needs 'down', so the old version, "
                        + "which still requires a value, gets one when the new version writes NULL");
            }
            String shadow = copied ? current.physical()
                    : target.freePhysicalName(Names.bounded("_tandem_" + current.physical()));
            target.replaceColumn(column, new ColumnModel(shadow, column,
                    type != null ? type : current.type(),
                    nullable != null ? nullable : current.nullable(),
                    defaultValue != null ? defaultValue : current.defaultValue()));
            constraintNames(model, target, current).keySet().forEach(target::addConstraint);
            if (unique != null) {
                model.addIndex(unique.nameOn(table, column), target.physical());
            }
        } else if (defaultValue != null) {
            current.setDefaultValue(defaultValue);
        }
        if (references != null) {
            Check.referencedColumn(model, Check.table(model, references.table()), references.column());
        }
    }

    /**
     * Refuses a change of the primary key column other than of its type, or one the shadows could not carry over.
     * The key's shadow becomes the primary key at contract, and the columns whose foreign keys reference it
     * ({@link ReferencingColumn}) get shadows of the new type, their keys rebuilt over them
     * ({@link SwappedPrimaryKey}).
     */
    private void requireKeyChange(SchemaModel model, TableModel target, ColumnModel current) {
        if (target.primaryKey().size() != 1) {
            throw new OperationException("column '" + column + "' is part of a primary key of "
                    + target.primaryKey().size() + " columns; changing its type or constraints online is supported "
                    + "only for a one-column key");
        }
        if (type == null || nullable != null || check != null || unique != null || references != null
                || defaultValue != null || comment != null) {
            throw new OperationException("column '" + column + "' is the primary key; alter_column changes only its "
                    + "type (with 'up' and 'down'), in an operation of its own");
        }
        if (model.referencedByNewKey(target.physical(), current.physical())) {
            model.refuseExpand("column '" + column + "' is the primary key, and a foreign key an earlier operation of "
                    + "this migration adds references it; that key would still reference the column contract drops: "
                    + "change the key's type in an earlier migration, or add the foreign key in a later one");
        }
        CatalogSnapshot.Column original = Check.original(model, target, current);
        if (original.autoIncrement()) {
            throw new OperationException("column '" + column + "' is the primary key and an AUTO_INCREMENT column, "
                    + "which a sync trigger cannot copy: it is assigned after BEFORE INSERT triggers run, which see 0");
        }
        if (original.generated() && !identity(original)) {
            throw new OperationException("column '" + column + "' is the primary key and a generated column; changing "
                    + "its type online is not supported");
        }
        boolean sequence = original.defaultValue() != null && original.defaultValue().startsWith("nextval(");
        if (sequence && KeySequence.of(model.schema(), original.defaultValue()) == null) {
            throw new OperationException("column '" + column + "' has default " + original.defaultValue()
                    + ", whose sequence Tandem cannot name; give the key a default of nextval('sequence') first");
        }
        if (sequence || identity(original)) {
            if (KeySequence.integerType(type) == null) {
                throw new OperationException("column '" + column + "' draws its values from a sequence, so its new "
                        + "type must be smallint, integer or bigint, not '" + type + "'");
            }
        }
        List<String> names = target.columns().stream().map(ColumnModel::name).filter(n -> !n.equals(column)).toList();
        for (String field : List.of("up", "down")) {
            SqlExpression expression = Check.expression(field, field.equals("up") ? up : down);
            expression.referencedNames().stream().filter(names::contains).findFirst().ifPresent(other -> {
                throw new OperationException("'" + field + "' reads column '" + other + "'; for a primary key it may "
                        + "read only '" + column + "', as the same conversion applies to every column referencing it");
            });
        }
    }

    /** An identity column: generated, without an expression (which a generated column has) or AUTO_INCREMENT. */
    private static boolean identity(CatalogSnapshot.Column column) {
        return column.generated() && column.defaultValue() == null && !column.autoIncrement();
    }

    /** The primary key constraint over {@code current}, when it is the key. */
    private static Optional<String> primaryKeyName(SchemaModel model, TableModel target, ColumnModel current) {
        return model.originalConstraints(target.physical(), current.physical()).stream()
                .filter(k -> k.kind() == ConstraintKind.PRIMARY_KEY).map(CatalogSnapshot.Constraint::name).findFirst();
    }

    /**
     * Refuses a column whose shadow copy would lose data or structure at contract.
     *
     * @param rebuilt the constraints over the column the operation builds again over the shadow (with their indexes)
     */
    private void requireShadowable(SchemaModel model, TableModel target, ColumnModel current, List<String> rebuilt) {
        if (target.primaryKey().contains(current.physical()) && rebuilt.isEmpty()) {
            throw new OperationException("column '" + current.name() + "' is part of the primary key of table '"
                    + target.name() + "'; changing its type or constraints online is not supported yet");
        }
        boolean key = target.primaryKey().contains(current.physical()) && !rebuilt.isEmpty();
        if (!key && Check.original(model, target, current).generated()) {
            throw new OperationException("column '" + current.name() + "' is an identity or generated column; "
                    + "changing its type or constraints online is not supported yet");
        }
        TreeSet<String> lost = new TreeSet<>();
        List<String> carried = CarriedIndexes.of(model, target, current).stream().map(CatalogSnapshot.Index::name).toList();
        List<String> checks = CarriedChecks.of(model, target, current).stream().map(CarriedChecks.Carried::name).toList();
        model.originalIndexes(target.physical(), current.physical()).stream()
                .filter(i -> !carried.contains(i.name()) && !rebuilt.contains(i.name()))
                .forEach(i -> lost.add(Check.quote(i.name())));
        // NOT NULL (a constraint of kind n on PostgreSQL 18) is carried over by the shadow itself
        model.originalConstraints(target.physical(), current.physical()).stream()
                .filter(k -> k.kind() != ConstraintKind.NOT_NULL && !replacedByReferences(k, current)
                        && !rebuilt.contains(k.name()))
                .filter(k -> !(k.kind() == ConstraintKind.UNIQUE && carried.contains(k.name())))
                .filter(k -> !checks.contains(k.name()))
                .forEach(k -> lost.add(Check.quote(k.name())));
        if (!lost.isEmpty()) {
            throw new OperationException("column '" + current.name() + "' " + (target.name().equals(table) ? ""
                    : "of table '" + target.name() + "' ") + "has index or constraint " + String.join(", ", lost)
                    + ", which this change would lose: it copies the column and drops the original at contract, and "
                    + "carries over only plain-column indexes, unique constraints and checks. Drop them in an earlier migration "
                    + "and create them again in a later one");
        }
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
            names.add(check.nameOn(this.table, column));
        }
        if (unique != null) {
            names.add(unique.nameOn(this.table, column));
        }
        if (references != null) {
            names.add(references.nameOn(this.table, column));
        }
        Map<String, String> windowNames = new LinkedHashMap<>();
        List<String> replaced = model.originalConstraints(table.physical(), original.physical()).stream()
                .filter(k -> replacedByReferences(k, original)).map(CatalogSnapshot.Constraint::name).toList();
        for (String name : names) {
            if (windowNames.containsKey(name)) {
                throw new OperationException("two constraints are named '" + name + "'");
            } else if (replaced.contains(name)) {
                windowNames.put(name, Names.bounded("_tandem_" + name));
            } else if (table.hasConstraint(name) || model.hasRelationName(name)) {
                throw new OperationException("a constraint, index or table named '" + name + "' already exists");
            } else {
                windowNames.put(name, name);
            }
        }
        return windowNames;
    }

    /**
     * A changed primary key: the referencing columns first, and so each phase's locks too (their sync triggers come
     * first as well), in the order an insert into a referencing table takes them: its own table, then the key's for
     * the foreign key's check. The other order would deadlock with such inserts until the lock timeout.
     */
    @Override
    public void expand(PhaseContext context) {
        if (copied(context)) {
            copy(altered(context), context);
            return;
        }
        List<AlteredColumn> columns = new ArrayList<>(referencing(context));
        columns.add(altered(context));
        for (AlteredColumn altered : columns) {
            if (altered.shadowed()) {
                context.inTransaction(new Ddl.AddColumn(altered.ref(),
                        new ColumnDef(altered.physical(), altered.altered().type(), null, false, null, false,
                                altered.original().physical())));
            }
        }
        columns.forEach(altered -> changes(altered, context).forEach(change -> change.expand(altered, context)));
        columns.stream().filter(AlteredColumn::shadowed).forEach(altered -> keepInStep(altered, context));
    }

    /**
     * The sync triggers keep the shadow and the original in step in both directions, and the backfill fills the
     * shadow. {@code up} sees the old version's names, which are the physical names of the columns it had. A column
     * referencing the key takes the key's {@code up} and {@code down}, read over its own column.
     */
    private void keepInStep(AlteredColumn altered, PhaseContext context) {
        String table = altered.before().physical();
        String original = altered.original().physical();
        String finalName = context.finalColumnName(table, altered.physical()).orElse(altered.column());
        SqlExpression upValue = up != null ? Check.expression("up", up) : SqlExpression.parse(Quoting.ident(original));
        SqlExpression downValue = down != null ? Check.expression("down", down)
                : SqlExpression.parse(Quoting.ident(finalName));
        if (!altered.table().equals(this.table)) {
            upValue = upValue.renameColumns(Map.of(column, original));
            downValue = downValue.renameColumns(Map.of(column, finalName));
        }
        context.syncUp(table, altered.physical(), upValue);
        context.syncDown(table, original, downValue);
        context.backfill(table, altered.physical(), upValue);
    }

    /**
     * The table-copy strategy: the copy's column as the new version has it, kept in step with the original by
     * {@code up} and {@code down} (each the column itself when not given), and the check, unique constraint and foreign
     * key on the copy, under their final names (the copy takes the table's name at contract). The planner makes the
     * copy, its triggers, its backfill and its swap at contract for the whole table.
     */
    private void copy(AlteredColumn altered, PhaseContext context) {
        ColumnModel after = altered.altered();
        String physical = altered.original().physical();
        SqlExpression value = after.defaultValue() == null ? null
                : defaultValue != null ? Check.expression("default", defaultValue)
                : SqlExpression.fromCatalog(after.defaultValue());
        SqlExpression upValue = up != null ? Check.expression("up", up)
                : SqlExpression.parse(Quoting.ident(altered.original().name()));
        SqlExpression downValue = down != null ? Check.expression("down", down) : SqlExpression.parse(Quoting.ident(column));
        List<ConstraintDef> constraints = new ArrayList<>();
        if (check != null) {
            constraints.add(ConstraintDef.check(check.nameOn(table, column), Columns.physical(altered.after(),
                    check.expression())));
        }
        if (unique != null) {
            constraints.add(ConstraintDef.unique(unique.nameOn(table, column), List.of(physical)));
        }
        if (references != null) {
            TableModel referenced = Check.table(context.after(), references.table());
            constraints.add(ConstraintDef.foreignKey(references.nameOn(table, column), List.of(physical),
                    context.table(referenced.physical()), List.of(Check.column(referenced, references.column())
                            .physical()), references.onDelete()));
        }
        boolean autoIncrement = context.before().originalColumn(altered.before().physical(), physical)
                .map(CatalogSnapshot.Column::autoIncrement).orElse(false);
        context.copyColumn(altered.before().physical(), new ColumnDef(physical, after.type(), value,
                !after.nullable(), comment, autoIncrement), upValue, downValue, constraints);
    }

    private boolean copied(PhaseContext context) {
        return context.before().copied(Check.table(context.before(), table).physical());
    }

    /**
     * A changed primary key: the referencing columns first (as at expand), so that their foreign keys go with them
     * before the key's original column and its primary key go, then the key, whose change adds the foreign keys again.
     */
    @Override
    public void contract(PhaseContext context) {
        if (copied(context)) {
            return; // the planner swaps the copy in for the whole table
        }
        for (AlteredColumn column : referencing(context)) {
            contract(column, changes(column, context), context);
        }
        AlteredColumn altered = altered(context);
        contract(altered, changes(altered, context), context);
    }

    private static void contract(AlteredColumn altered, List<ColumnChange> changes, PhaseContext context) {
        if (altered.shadowed()) {
            String table = altered.before().physical();
            changes.forEach(change -> change.validate(altered, context));
            changes.forEach(change -> change.beforeDrop(altered, context));
            context.dropColumn(table, altered.original().physical());
            context.finalColumnName(table, altered.physical())
                    .ifPresent(name -> context.renameColumn(table, altered.physical(), name));
        }
        changes.forEach(change -> change.contract(altered, context));
    }

    @Override
    public void rollback(PhaseContext context) {
        if (copied(context)) {
            return; // the planner drops the copy and its triggers
        }
        List<AlteredColumn> columns = new ArrayList<>(referencing(context));
        columns.add(altered(context));
        for (AlteredColumn altered : columns) {
            if (altered.shadowed()) {
                changes(altered, context).forEach(change -> change.rollback(altered, context));
                context.inTransaction(new Ddl.DropColumn(altered.ref(), altered.physical()));
            }
        }
    }

    private AlteredColumn altered(PhaseContext context) {
        TableModel before = Check.table(context.before(), table);
        TableModel after = Check.table(context.after(), table);
        ColumnModel original = Check.column(before, column);
        return new AlteredColumn(table, column, before, after, original, Check.column(after, column),
                context.table(before.physical()), constraintNames(context.before(), before, original));
    }

    /** The columns whose foreign keys reference the column when it is a primary key whose type changes. */
    private List<AlteredColumn> referencing(PhaseContext context) {
        TableModel before = Check.table(context.before(), table);
        ColumnModel original = Check.column(before, column);
        if (type == null || !before.primaryKey().contains(original.physical())) {
            return List.of();
        }
        List<AlteredColumn> columns = new ArrayList<>();
        for (ReferencingColumn key : ReferencingColumn.of(context.before(), before, original)) {
            TableModel other = context.before().tableByPhysical(key.table()).orElseThrow();
            TableModel otherAfter = context.after().tableByPhysical(key.table()).orElseThrow();
            ColumnModel referencing = other.columnByPhysical(key.column()).orElseThrow();
            columns.add(new AlteredColumn(other.name(), referencing.name(), other, otherAfter, referencing,
                    Check.column(otherAfter, referencing.name()), context.table(other.physical()), Map.of()));
        }
        return columns;
    }

    /**
     * What this operation changes, in the order each phase makes the changes. A change the old version could trip
     * over makes a shadow, which also carries the original's indexes, nullability and default.
     */
    private List<ColumnChange> changes(AlteredColumn altered, PhaseContext context) {
        List<ColumnChange> changes = new ArrayList<>();
        if (altered.shadowed()) {
            if (!altered.altered().nullable()) {
                changes.add(new SetNotNull());
            }
            if (check != null) {
                changes.add(new SetCheck(check));
            }
            if (unique != null) {
                changes.add(new SetUnique(unique.nameOn(table, column)));
            }
            changes.add(new CarriedIndexes());
            changes.add(new CarriedChecks());
            if (references != null) {
                changes.add(new SetForeignKey(references));
            }
            if (altered.altered().defaultValue() != null) {
                changes.add(new SetDefault(SqlExpression.fromCatalog(altered.altered().defaultValue())));
            }
            boolean key = altered.table().equals(table)
                    && altered.before().primaryKey().contains(altered.original().physical());
            if (key) {
                changes.add(primaryKey(altered, context));
            }
        } else if (defaultValue != null) {
            changes.add(new SetDefault(Check.expression("default", defaultValue)));
        }
        if (comment != null) {
            changes.add(new SetComment(comment));
        }
        return changes;
    }

    private SwappedPrimaryKey primaryKey(AlteredColumn key, PhaseContext context) {
        SchemaModel before = context.before();
        String defaultValue = key.original().defaultValue();
        TableRef sequence = defaultValue == null ? null : KeySequence.of(before.schema(), defaultValue);
        List<ReferencingColumn> keys = ReferencingColumn.of(before, key.before(), key.original());
        List<AlteredColumn> columns = referencing(context);
        List<SwappedPrimaryKey.Rebuilt> rebuilt = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            rebuilt.add(new SwappedPrimaryKey.Rebuilt(keys.get(i), columns.get(i)));
        }
        boolean identity = identity(Check.original(before, key.before(), key.original()));
        return new SwappedPrimaryKey(primaryKeyName(before, key.before(), key.original()).orElseThrow(), sequence,
                identity, sequence == null ? null : KeySequence.integerType(type), rebuilt);
    }
}
