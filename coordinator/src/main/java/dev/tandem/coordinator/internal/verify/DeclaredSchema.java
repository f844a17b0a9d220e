package dev.tandem.coordinator.internal.verify;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.engine.PlanBuilder;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.ConstraintKind;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.Rule;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * "Expand → backfill → contract reaches the schema the migration declares": the schema model the operations
 * build from the catalog before expand, compared with the catalog after contract, table by table (columns with
 * their base type and nullability, the constraints the operations name, indexes). Raw {@code sql} operations declare nothing, so what
 * they add or remove on the tables shows as a difference; the new version's views, built from the declared
 * schema, do not show it either.
 */
final class DeclaredSchema {
    private final ScratchDialect kind;
    private final Migration migration;
    private final SchemaModel declared;
    private final List<Finding> findings = new ArrayList<>();

    private DeclaredSchema(ScratchDialect kind, Migration migration, SchemaModel declared) {
        this.kind = kind;
        this.migration = migration;
        this.declared = declared;
    }

    /** What {@code migration} declares, applied to the catalog {@code before} expand. */
    static DeclaredSchema of(ScratchDialect kind, Dialect dialect, Migration migration, CatalogSnapshot before,
                             String stateSchema) {
        try {
            return new DeclaredSchema(kind, migration,
                    new PlanBuilder(dialect, migration, before, stateSchema, null).end());
        } catch (InvalidMigrationException e) {
            // expand reports the same problem as a failed phase
            return null;
        }
    }

    /** The differences between the declared schema and {@code after}, the catalog after contract. */
    List<Finding> compare(Connection connection, CatalogSnapshot after) throws SQLException {
        Set<String> actualTables = names(after.tables(), CatalogSnapshot.Table::name);
        for (TableModel table : declared.tables()) {
            Optional<CatalogSnapshot.Table> actual = after.tables().stream()
                    .filter(t -> t.name().equals(table.name())).findFirst();
            if (actual.isEmpty()) {
                differs("table \"" + table.name() + "\": declared by the migration, missing after contract");
            } else {
                compareTable(connection, table, actual.get(), after);
            }
        }
        Set<String> declaredTables = names(declared.tables(), TableModel::name);
        actualTables.stream().filter(name -> !declaredTables.contains(name)).forEach(name ->
                differs("table \"" + name + "\": present after contract, not declared by the migration"));
        return findings;
    }

    private void compareTable(Connection connection, TableModel table, CatalogSnapshot.Table actual,
                              CatalogSnapshot after) throws SQLException {
        String where = "table \"" + table.name() + "\"";
        for (ColumnModel column : table.columns()) {
            Optional<CatalogSnapshot.Column> found = actual.columns().stream()
                    .filter(c -> c.name().equals(column.name())).findFirst();
            String name = where + ", column \"" + column.name() + "\"";
            if (found.isEmpty()) {
                differs(name + ": declared by the migration, missing after contract");
                continue;
            }
            if (!kind.sameBaseType(connection, column.type(), found.get().type())) {
                differs(name + ": declared type " + column.type() + ", after contract " + found.get().type());
            }
            if (column.nullable() != found.get().nullable()) {
                differs(name + ": declared " + nullability(column.nullable()) + ", after contract "
                        + nullability(found.get().nullable()));
            }
        }
        Set<String> declaredColumns = names(table.columns(), ColumnModel::name);
        actual.columns().stream().map(CatalogSnapshot.Column::name).filter(c -> !declaredColumns.contains(c))
                .forEach(c -> differs(where + ", column \"" + c + "\": present after contract, not declared"));
        // the model records the constraints operations name, not those a column spec adds (its CHECK), so only
        // a declared constraint that is missing is a difference
        Set<String> actualConstraints = names(actual.constraints(), CatalogSnapshot.Constraint::name);
        table.constraints().stream().sorted().filter(name -> !actualConstraints.contains(name)).forEach(name ->
                differs(where + ", constraint \"" + name + "\": declared by the migration, missing after contract"));
        // the primary key's index is compared as the table's primary key; on MariaDB every table's is called
        // PRIMARY, a name the model, which keys indexes by name, can give to one table only
        Set<String> primaryKeys = after.indexes().stream()
                .filter(index -> index.table().equals(actual.name()) && index.primary())
                .map(CatalogSnapshot.Index::name).collect(Collectors.toSet());
        Set<String> declaredIndexes = declared.indexNames().stream()
                .filter(index -> declared.indexTable(index).flatMap(declared::tableByPhysical)
                        .map(TableModel::name).filter(table.name()::equals).isPresent())
                .filter(index -> !primaryKeys.contains(index))
                .collect(Collectors.toCollection(TreeSet::new));
        // MariaDB (InnoDB) builds an index named after a foreign key that no index serves yet
        Set<String> foreignKeys = actual.constraints().stream().filter(k -> k.kind() == ConstraintKind.FOREIGN_KEY)
                .map(CatalogSnapshot.Constraint::name).collect(Collectors.toSet());
        Set<String> actualIndexes = after.indexes().stream()
                .filter(index -> index.table().equals(actual.name()) && !index.primary())
                .map(CatalogSnapshot.Index::name)
                .filter(index -> declaredIndexes.contains(index) || !foreignKeys.contains(index))
                .collect(Collectors.toCollection(TreeSet::new));
        compareNames(where + ", index", declaredIndexes, actualIndexes);
    }

    private void compareNames(String what, Set<String> declaredNames, Set<String> actualNames) {
        declaredNames.stream().filter(name -> !actualNames.contains(name)).forEach(name ->
                differs(what + " \"" + name + "\": declared by the migration, missing after contract"));
        actualNames.stream().filter(name -> !declaredNames.contains(name)).forEach(name ->
                differs(what + " \"" + name + "\": present after contract, not declared"));
    }

    private static String nullability(boolean nullable) {
        return nullable ? "nullable" : "NOT NULL";
    }

    private static <T> Set<String> names(List<T> items, Function<T, String> name) {
        return items.stream().map(name).collect(Collectors.toCollection(TreeSet::new));
    }

    private void differs(String detail) {
        findings.add(Finding.of(Rule.CONTRACT_NOT_DECLARED, migration.source(), 0,
                RoundTrip.culprit(migration, detail), detail));
    }
}
