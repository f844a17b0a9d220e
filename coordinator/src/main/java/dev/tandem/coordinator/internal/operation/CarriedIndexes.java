package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ConstraintKind;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import java.util.List;

/**
 * The original's plain-column indexes, either on their own or backing a unique constraint, which would go with the
 * original column at contract: each is built again over the shadow concurrently at expand under a temporary name,
 * and takes the original's name (and constraint) at contract, once the original went with its column.
 */
record CarriedIndexes() implements ColumnChange {

    @Override
    public void expand(AlteredColumn column, PhaseContext context) {
        String original = column.original().physical();
        for (CatalogSnapshot.Index index : of(context.before(), column.before(), column.original())) {
            context.afterTransaction(new Ddl.CreateIndex(column.ref(), copyName(index), index.columns().stream()
                    .map(c -> c.equals(original) ? column.physical() : c).toList(), index.unique(), index.method(),
                    null));
        }
    }

    @Override
    public void contract(AlteredColumn column, PhaseContext context) {
        SchemaModel before = context.before();
        for (CatalogSnapshot.Index index : of(before, column.before(), column.original())) {
            context.inTransaction(new Ddl.RenameIndex(column.ref(), copyName(index), index.name()));
            if (backsUniqueConstraint(before, column.before(), column.original(), index)) {
                context.inTransaction(new Ddl.AddUniqueUsingIndex(column.ref(), index.name()));
            }
        }
    }

    /** The original indexes over {@code column} that its shadow gets a copy of. */
    static List<CatalogSnapshot.Index> of(SchemaModel model, TableModel table, ColumnModel column) {
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
}
