package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.sql.Quoting;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.List;

/**
 * The primary key moved to the shadow of its column, and the foreign keys that reference it built again over the
 * referencing columns' shadows. Expand builds a unique index over the shadow concurrently; contract hands the key's
 * sequence to the shadow before the original column (which owns it) is dropped, and, once the referencing columns
 * and the original went with their foreign keys and primary key, makes the index the primary key under the old
 * key's name and adds each foreign key NOT VALID, validated after the transaction while writes continue.
 *
 * @param constraint  the primary key's name
 * @param sequence    the sequence the key's default draws from; null when it has none
 * @param identity    the key is an identity column: the new version's view draws from its sequence until contract
 *                    moves the identity, and the sequence's position and name, to the shadow
 * @param sequenceType the integer type the sequence takes; null to keep its own
 * @param referencing the foreign keys rebuilt, each over the shadow of its column
 */
record SwappedPrimaryKey(String constraint, TableRef sequence, boolean identity, String sequenceType,
                         List<Rebuilt> referencing) implements ColumnChange {

    /** A foreign key that references the key, and the shadow of its column it is rebuilt over. */
    record Rebuilt(ReferencingColumn key, AlteredColumn column) {
    }

    @Override
    public void expand(AlteredColumn column, PhaseContext context) {
        context.afterTransaction(new Ddl.CreateIndex(column.ref(), index(), List.of(column.physical()), true, null,
                null));
        if (identity) {
            TableRef table = column.ref();
            context.versionDefault(column.before().physical(), column.physical(), SqlExpression.parse(
                    "nextval(pg_get_serial_sequence(" + Quoting.literal(Quoting.ident(table.schema()) + "."
                            + Quoting.ident(table.name())) + ", " + Quoting.literal(column.original().physical()) + "))"));
        }
    }

    @Override
    public void beforeDrop(AlteredColumn column, PhaseContext context) {
        if (sequence != null) {
            context.inTransaction(new Ddl.AdoptSequence(column.ref(), sequence, column.current(context), sequenceType));
        } else if (identity) {
            context.inTransaction(new Ddl.MoveIdentity(column.ref(),
                    context.column(column.before().physical(), column.original().physical()), column.current(context)));
        }
    }

    /**
     * The view's default for an identity key goes, as the column it names is the identity now: one of GENERATED
     * ALWAYS would refuse the value.
     */
    @Override
    public void contract(AlteredColumn column, PhaseContext context) {
        if (identity) {
            String table = column.before().physical();
            context.inTransaction(new Ddl.SetViewDefault(context.versionView(table),
                    context.finalColumnName(table, column.physical()).orElse(column.column()), null, null, null));
        }
        context.inTransaction(new Ddl.AddPrimaryKeyUsingIndex(column.ref(), constraint, index()));
        for (Rebuilt rebuilt : referencing) {
            ReferencingColumn key = rebuilt.key();
            context.inTransaction(new Ddl.AddConstraint(rebuilt.column().ref(), ConstraintDef.foreignKey(key.key(),
                    List.of(rebuilt.column().current(context)), column.ref(), List.of(column.current(context)),
                    key.onDelete()), true));
            context.afterTransaction(new Ddl.ValidateConstraint(rebuilt.column().ref(), key.key()));
        }
    }

    private String index() {
        return Names.bounded("_tandem_" + constraint);
    }
}
