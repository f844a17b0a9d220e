package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ConstraintKind;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.List;
import java.util.Map;

/**
 * The original's indexes which would go with the original column at contract: each is built again over the shadow
 * concurrently at expand under a temporary name, and takes the original's name (and constraint) at contract, once the
 * original went with its column. Plain-column ones, on their own or backing a unique constraint, anywhere; on
 * PostgreSQL also those with expressions, a predicate, INCLUDE columns, sort options, operator classes or collations
 * (not backing a constraint), from their definition with the original's name replaced by the shadow's, where no
 * other column they use is replaced by another operation.
 */
record CarriedIndexes() implements ColumnChange {

    @Override
    public void expand(AlteredColumn column, PhaseContext context) {
        String original = column.original().physical();
        for (CatalogSnapshot.Index index : of(context.before(), column.before(), column.original())) {
            List<String> columns = index.columns().stream().map(c -> c.equals(original) ? column.physical() : c)
                    .toList();
            context.afterTransaction(index.simple()
                    ? new Ddl.CreateIndex(column.ref(), copyName(index), columns, index.unique(), index.method(), null)
                    : new Ddl.CreateIndex(column.ref(), copyName(index), columns, index.unique(), index.method(), null,
                            SqlExpression.fromCatalog(index.definition())
                                    .renameColumns(Map.of(original, column.physical()))));
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
        List<String> uniqueConstraints = model.originalConstraints(table.physical(), column.physical()).stream()
                .filter(k -> k.kind() == ConstraintKind.UNIQUE).map(CatalogSnapshot.Constraint::name).toList();
        return model.originalIndexes(table.physical(), column.physical()).stream()
                .filter(i -> !i.primary() && !constraints.contains(i.name()))
                .filter(i -> i.simple() || i.definition() != null && !uniqueConstraints.contains(i.name())
                        && i.columns().stream().allMatch(c -> c.equals(column.physical())
                        || table.columnByPhysical(c).isPresent()))
                .toList();
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
