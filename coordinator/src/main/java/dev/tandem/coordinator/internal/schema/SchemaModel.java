package dev.tandem.coordinator.internal.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tables and indexes of one schema as a version of the application sees them. Built from a
 * {@link CatalogSnapshot}; each operation of a migration moves it one step towards the new version.
 */
public final class SchemaModel {
    private final String schema;
    private final List<TableModel> tables;
    private final Map<String, String> indexes;
    private final CatalogSnapshot origin;
    private final Set<String> copied;
    /** The "table.column" (physical names) that foreign keys the migration adds reference. */
    private final Set<String> newlyReferenced;
    /** Why expand must refuse the operation just applied, though rollback can still undo it; not copied. */
    private String expandRefusal;

    private SchemaModel(String schema, List<TableModel> tables, Map<String, String> indexes, CatalogSnapshot origin,
                        Set<String> copied, Set<String> newlyReferenced) {
        this.schema = schema;
        this.tables = tables;
        this.indexes = indexes;
        this.origin = origin;
        this.copied = copied;
        this.newlyReferenced = newlyReferenced;
    }

    public static SchemaModel of(CatalogSnapshot snapshot) {
        List<TableModel> tables = new ArrayList<>(snapshot.tables().stream().map(SchemaModel::table).toList());
        Map<String, String> indexes = new LinkedHashMap<>();
        snapshot.indexes().forEach(i -> indexes.put(i.name(), i.table()));
        return new SchemaModel(snapshot.schema(), tables, indexes, snapshot, Set.of(), new LinkedHashSet<>());
    }

    private static TableModel table(CatalogSnapshot.Table table) {
        List<ColumnModel> columns = table.columns().stream()
                .map(c -> new ColumnModel(c.name(), c.name(), c.type(), c.nullable(), c.defaultValue()))
                .toList();
        TableModel model = new TableModel(table.name(), table.name(), columns, table.primaryKey(),
                table.constraints().stream().map(CatalogSnapshot.Constraint::name)
                        .collect(Collectors.toCollection(LinkedHashSet::new)));
        table.constraints().stream().filter(k -> k.referencedTable() != null)
                .forEach(k -> model.addForeignKey(k.name(), k.referencedTable()));
        return model;
    }

    public SchemaModel copy() {
        return new SchemaModel(schema, new ArrayList<>(tables.stream().map(TableModel::copy).toList()),
                new LinkedHashMap<>(indexes), origin, copied, new LinkedHashSet<>(newlyReferenced));
    }

    /** This model, with {@code physicalTables} changed by copying them (the table-copy strategy) rather than in place. */
    public SchemaModel withCopies(Set<String> physicalTables) {
        return new SchemaModel(schema, new ArrayList<>(tables.stream().map(TableModel::copy).toList()),
                new LinkedHashMap<>(indexes), origin, Set.copyOf(physicalTables), new LinkedHashSet<>(newlyReferenced));
    }

    /** Whether the migration changes this table by copying it into a new table (MariaDB's table-copy strategy). */
    public boolean copied(String physicalTable) {
        return copied.contains(physicalTable);
    }

    /**
     * A copy whose columns, constraints and indexes "as the database had them before the migration" are those of
     * {@code snapshot}: for a model a migration builds on that another migration in flight made.
     */
    public SchemaModel from(CatalogSnapshot snapshot) {
        SchemaModel copy = copy();
        // tables created outside the migrations since this model's snapshot: neither in the model (one they create
        // is) nor in that snapshot (one they drop is)
        for (CatalogSnapshot.Table table : snapshot.tables()) {
            boolean known = copy.tableByPhysical(table.name()).isPresent()
                    || origin.tables().stream().anyMatch(t -> t.name().equals(table.name()));
            if (!known && !table.name().startsWith("_tandem")) {
                copy.tables.add(table(table));
                snapshot.indexes().stream().filter(i -> i.table().equals(table.name()))
                        .forEach(i -> copy.indexes.put(i.name(), i.table()));
            }
        }
        return new SchemaModel(copy.schema, copy.tables, copy.indexes, snapshot, copy.copied, new LinkedHashSet<>());
    }

    public String schema() {
        return schema;
    }

    public List<TableModel> tables() {
        return List.copyOf(tables);
    }

    public Optional<TableModel> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public Optional<TableModel> tableByPhysical(String physical) {
        return tables.stream().filter(t -> t.physical().equals(physical)).findFirst();
    }

    public void addTable(TableModel table) {
        tables.add(table);
    }

    /** The foreign keys of other tables that reference {@code physicalTable}, as "table.constraint". */
    public List<String> foreignKeysTo(String physicalTable) {
        return tables.stream().filter(t -> !t.physical().equals(physicalTable))
                .flatMap(t -> t.foreignKeysTo(physicalTable).stream().map(k -> t.name() + "." + k)).toList();
    }

    /** Replaces the table stored as {@code physical} with {@code table}; its indexes follow it. */
    public void replaceTable(String physical, TableModel table) {
        tables.replaceAll(t -> t.physical().equals(physical) ? table : t);
        indexes.replaceAll((index, on) -> on.equals(physical) ? table.physical() : on);
    }

    public void removeTable(String name) {
        tables.removeIf(t -> t.name().equals(name));
    }

    public boolean hasIndex(String name) {
        return indexes.containsKey(name);
    }

    /** The names of every index, in the order they were added. */
    public List<String> indexNames() {
        return List.copyOf(indexes.keySet());
    }

    /** Physical name of the table the index is on. */
    public Optional<String> indexTable(String name) {
        return Optional.ofNullable(indexes.get(name));
    }

    public void addIndex(String name, String physicalTable) {
        indexes.put(name, physicalTable);
    }

    public void removeIndex(String name) {
        indexes.remove(name);
    }

    /** The column as the database had it before the migration; empty for a column the migration adds. */
    public Optional<CatalogSnapshot.Column> originalColumn(String physicalTable, String physicalColumn) {
        return origin.tables().stream().filter(t -> t.name().equals(physicalTable))
                .flatMap(t -> t.columns().stream()).filter(c -> c.name().equals(physicalColumn)).findFirst();
    }

    /** Whether the table existed before the migration (rather than being created by it). */
    public boolean existedBefore(String physicalTable) {
        return origin.tables().stream().anyMatch(t -> t.name().equals(physicalTable));
    }

    /** Records that a foreign key the migration adds references this column. */
    public void addReference(String physicalTable, String physicalColumn) {
        newlyReferenced.add(physicalTable + "." + physicalColumn);
    }

    /**
     * Makes expand (and plan) refuse the operation being applied, while the model goes on as if it were allowed: a
     * migration an earlier version of Tandem expanded with it must still roll back.
     */
    public void refuseExpand(String reason) {
        expandRefusal = reason;
    }

    /** The reason {@link #refuseExpand} gave since the last call, or null; cleared. */
    public String takeExpandRefusal() {
        String reason = expandRefusal;
        expandRefusal = null;
        return reason;
    }

    /** Whether a foreign key an earlier operation of the migration adds references this column. */
    public boolean referencedByNewKey(String physicalTable, String physicalColumn) {
        return newlyReferenced.contains(physicalTable + "." + physicalColumn);
    }

    /** The constraints the database had over this column (among others) before the migration. */
    public List<CatalogSnapshot.Constraint> originalConstraints(String physicalTable, String physicalColumn) {
        return origin.tables().stream().filter(t -> t.name().equals(physicalTable))
                .flatMap(t -> t.constraints().stream()).filter(k -> k.columns().contains(physicalColumn)).toList();
    }

    /**
     * The foreign keys the database had on other tables that reference {@code physicalTable}, by the physical name of
     * the table each is on.
     */
    public Map<String, List<CatalogSnapshot.Constraint>> originalForeignKeysTo(String physicalTable) {
        Map<String, List<CatalogSnapshot.Constraint>> keys = new LinkedHashMap<>();
        for (CatalogSnapshot.Table table : origin.tables()) {
            table.constraints().stream().filter(k -> k.kind() == ConstraintKind.FOREIGN_KEY
                            && physicalTable.equals(k.referencedTable()) && !table.name().equals(physicalTable))
                    .forEach(k -> keys.computeIfAbsent(table.name(), t -> new ArrayList<>()).add(k));
        }
        return keys;
    }

    /** The relations of the schema that are not tables Tandem reads (views, …), which a version schema shows as they are. */
    public List<String> others() {
        return origin.others();
    }

    /** Why the database's table of that name cannot be changed, if Tandem does not support it. */
    public Optional<String> unsupported(String name) {
        return Optional.ofNullable(origin.unsupported().get(name));
    }

    /** The table as the database reported it before the migration, if it had it. */
    public Optional<CatalogSnapshot.Table> originalTable(String physicalTable) {
        return origin.tables().stream().filter(t -> t.name().equals(physicalTable)).findFirst();
    }

    /** The indexes the database had on this table before the migration. */
    public List<CatalogSnapshot.Index> originalIndexes(String physicalTable) {
        return origin.indexes().stream().filter(i -> i.table().equals(physicalTable)).toList();
    }

    /** The indexes the database had over this column (among others) before the migration. */
    public List<CatalogSnapshot.Index> originalIndexes(String physicalTable, String physicalColumn) {
        return origin.indexes().stream()
                .filter(i -> i.table().equals(physicalTable) && i.columns().contains(physicalColumn)).toList();
    }

    /** True when any table has a constraint of that name (PostgreSQL requires index names to be unique too). */
    public boolean hasRelationName(String name) {
        return indexes.containsKey(name) || tables.stream().anyMatch(t -> t.physical().equals(name)
                || t.name().equals(name));
    }
}
