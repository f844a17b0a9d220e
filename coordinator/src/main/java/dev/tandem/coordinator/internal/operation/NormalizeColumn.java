package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.CopyTrigger;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import dev.tandem.coordinator.internal.sql.Quoting;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Replaces a column of repeated values (an enum-like {@code orders.status}) by a reference to a lookup table that
 * this migration creates ({@code statuses(id, name)}): the new version sees {@code new_column}, a foreign key to
 * the lookup's key, and no longer the column.
 *
 * <p>Expand seeds the lookup table: the listed {@code seed} values first, in their order, inside expand; then every
 * other value the column holds, after expand's transaction (a read of the table that blocks no writes). A value the
 * old version writes that the lookup table does not hold yet is added by a trigger that fires before the sync
 * trigger. The sync triggers keep the two columns in step ({@code up}: the lookup row's key for the old value,
 * {@code down}: the lookup row's value for the new key), the backfill fills the new column, and contract validates
 * the foreign key (and NOT NULL) and drops the old column. The seed rows go with the lookup table on rollback.
 */
public record NormalizeColumn(String table, String column, Lookup lookup,
                              String newColumn, String foreignKey, List<String> seed) implements Operation {
    /** The lookup table: {@code key} is its primary key, {@code value} a unique column holding the values. */
    public record Lookup(String table, String key, String value) {
        public Lookup {
            Check.name("lookup.table", table);
            Check.name("lookup.key", key);
            Check.name("lookup.value", value);
        }
    }

    public NormalizeColumn {
        Check.name("table", table);
        Check.name("column", column);
        Check.required("lookup", lookup);
        Check.name("new_column", newColumn);
        Check.optionalName("foreign_key", foreignKey);
        seed = seed == null ? List.of() : List.copyOf(seed);
        if (seed.stream().anyMatch(Objects::isNull) || seed.size() != seed.stream().distinct().count()) {
            throw new IllegalArgumentException("'seed' lists each value once, and no null");
        }
    }

    @Override
    public String kind() {
        return "normalize_column";
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel source = Check.table(model, table);
        ColumnModel values = Check.column(source, column);
        if (Check.original(model, source, values).generated() || source.primaryKey().contains(values.physical())) {
            throw new OperationException("column '" + column + "' is generated or part of the primary key");
        }
        TableModel lookupTable = Check.table(model, lookup.table());
        ColumnModel key = Check.column(lookupTable, lookup.key());
        Check.column(lookupTable, lookup.value());
        if (model.originalColumn(lookupTable.physical(), key.physical()).isPresent()) {
            throw new OperationException("lookup table '" + lookup.table() + "' exists already; normalize_column seeds "
                    + "a lookup table this migration creates (create_table before it), so that rollback removes the "
                    + "seed rows with the table");
        }
        if (!lookupTable.primaryKey().equals(List.of(key.physical()))) {
            throw new OperationException("'lookup.key' '" + lookup.key() + "' is not the primary key of '"
                    + lookup.table() + "'");
        }
        Check.noColumn(source, newColumn);
        Check.freeConstraintName(model, source, foreignKeyName(), false);
        source.addForeignKey(foreignKeyName(), lookupTable.physical());
        Check.removeOriginalColumn(model, source, values);
        source.addColumn(new ColumnModel(source.freePhysicalName(newColumn), newColumn, referenceType(key.type()),
                values.nullable(), null));
    }

    @Override
    public void expand(PhaseContext context) {
        Parts p = parts(context);
        context.inTransaction(new Ddl.AddColumn(p.ref(), new ColumnDef(p.reference(), p.keyType(), null, false)));
        if (!p.nullable()) {
            context.inTransaction(new Ddl.AddNotNullCheck(p.ref(), notNullName(), p.reference()));
        }
        context.inTransaction(new Ddl.AddConstraint(p.ref(), ConstraintDef.foreignKey(foreignKeyName(),
                List.of(p.reference()), p.lookupRef(), List.of(p.key()), null), true));
        if (!seed.isEmpty()) {
            context.inTransaction(new Ddl.SeedRows(p.lookupRef(), p.value(), seed, null, null));
        }
        context.inTransaction(new Ddl.CreateCopyTrigger(p.addMissing()));
        context.afterTransaction(new Ddl.SeedRows(p.lookupRef(), p.value(), List.of(), p.ref(), p.values()));

        String lookupTable = Quoting.ident(p.lookupRef().schema()) + "." + Quoting.ident(p.lookupRef().name());
        String alias = Quoting.ident("_tandem_lookup");
        SqlExpression up = SqlExpression.parse("(SELECT " + alias + "." + Quoting.ident(p.key()) + " FROM " + lookupTable
                + " AS " + alias + " WHERE " + alias + "." + Quoting.ident(p.value()) + " = "
                + Quoting.ident(p.source().physical()) + "." + Quoting.ident(p.values()) + ")");
        String newTable = context.finalTableName(p.source().physical()).orElse(table);
        String newName = context.finalColumnName(p.source().physical(), p.reference()).orElse(newColumn);
        SqlExpression down = SqlExpression.parse("(SELECT " + alias + "." + Quoting.ident(p.value()) + " FROM "
                + lookupTable + " AS " + alias + " WHERE " + alias + "." + Quoting.ident(p.key()) + " = "
                + Quoting.ident(newTable) + "." + Quoting.ident(newName) + ")");
        context.syncUp(p.source().physical(), p.reference(), up);
        context.syncDown(p.source().physical(), p.values(), down);
        context.backfill(p.source().physical(), p.reference(), up);
    }

    @Override
    public void contract(PhaseContext context) {
        Parts p = parts(context);
        context.inTransaction(new Ddl.DropCopyTrigger(p.addMissing()));
        if (!p.nullable()) {
            context.beforeTransaction(new Ddl.ValidateConstraint(p.ref(), notNullName(), p.reference()));
        }
        context.beforeTransaction(new Ddl.ValidateConstraint(p.ref(), foreignKeyName()));
        if (!p.nullable()) {
            context.inTransaction(new Ddl.SetNotNull(p.ref(), context.column(p.source().physical(), p.reference())));
            context.inTransaction(new Ddl.DropConstraint(p.ref(), notNullName()));
        }
        context.dropColumn(p.source().physical(), p.values());
        context.finalColumnName(p.source().physical(), p.reference())
                .ifPresent(name -> context.renameColumn(p.source().physical(), p.reference(), name));
    }

    /** The seed rows go with the lookup table, which the operation that created it drops next. */
    @Override
    public void rollback(PhaseContext context) {
        Parts p = parts(context);
        context.inTransaction(new Ddl.DropCopyTrigger(p.addMissing()));
        // MariaDB refuses to drop a column a foreign key still needs (error 1553)
        context.inTransaction(new Ddl.DropConstraint(p.ref(), foreignKeyName()));
        context.inTransaction(new Ddl.DropColumn(p.ref(), p.reference()));
    }

    /** The type of a column that holds a key of type {@code keyType}: a serial key's integer type. */
    private static String referenceType(String keyType) {
        return switch (keyType.toLowerCase(Locale.ROOT)) {
            case "bigserial", "serial8" -> "bigint";
            case "serial", "serial4" -> "integer";
            case "smallserial", "serial2" -> "smallint";
            default -> keyType;
        };
    }

    private String foreignKeyName() {
        return foreignKey != null ? foreignKey : Names.foreignKey(table, newColumn);
    }

    private String notNullName() {
        return Names.notNullCheck(table, newColumn);
    }

    private Parts parts(PhaseContext context) {
        TableModel source = Check.table(context.before(), table);
        TableModel lookupTable = Check.table(context.before(), lookup.table());
        ColumnModel values = Check.column(source, column);
        ColumnModel reference = Check.column(Check.table(context.after(), table), newColumn);
        return new Parts(context, source, context.table(source.physical()), values.physical(), reference.physical(),
                reference.type(), values.nullable(), context.table(lookupTable.physical()),
                Check.column(lookupTable, lookup.key()).physical(), Check.column(lookupTable, lookup.value()).physical());
    }

    /** The physical names of one phase. */
    private record Parts(PhaseContext context, TableModel source, TableRef ref, String values, String reference,
                         String keyType, boolean nullable, TableRef lookupRef, String key, String value) {
        /**
         * Adds a value the old version writes to the lookup table when it lacks it; fires before the sync trigger
         * (its name sorts first), which then finds the value's key.
         */
        CopyTrigger addMissing() {
            return new CopyTrigger(ref, Names.bounded("-_tandem_" + context.migrationName() + "_" + source.physical()
                    + "_" + values), context.functionSchema(), context.versionSchema(), false, true,
                    CopyTrigger.Mode.UPSERT, List.of(values), lookupRef, List.of(value), 1);
        }
    }
}
