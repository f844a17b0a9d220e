package dev.tandem.coordinator.internal.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A table as one version sees it; {@code physical} is the table that stores it. */
public final class TableModel {
    private final String physical;
    private String name;
    private final List<ColumnModel> columns;
    private final List<String> primaryKey;
    private final Set<String> constraints;
    /** Foreign key constraint name to the physical table it references. */
    private final Map<String, String> foreignKeys = new LinkedHashMap<>();
    private final Set<String> physicalColumns;

    public TableModel(String physical, String name, List<ColumnModel> columns, List<String> primaryKey,
                      Set<String> constraints) {
        this.physical = physical;
        this.name = name;
        this.columns = new ArrayList<>(columns);
        this.primaryKey = List.copyOf(primaryKey);
        this.constraints = new LinkedHashSet<>(constraints);
        this.physicalColumns = new LinkedHashSet<>();
        columns.forEach(c -> physicalColumns.add(c.physical()));
    }

    public TableModel copy() {
        TableModel copy = new TableModel(physical, name, columns.stream().map(ColumnModel::copy).toList(),
                primaryKey, constraints);
        copy.physicalColumns.addAll(physicalColumns);
        copy.foreignKeys.putAll(foreignKeys);
        return copy;
    }

    /** The table as contract leaves it: stored under the names this version gives it and its columns. */
    public TableModel contracted() {
        List<String> key = primaryKey.stream()
                .map(k -> columnByPhysical(k).map(ColumnModel::name).orElse(k)).toList();
        TableModel table = new TableModel(name, name, columns.stream()
                .map(c -> new ColumnModel(c.name(), c.name(), c.type(), c.nullable(), c.defaultValue())).toList(),
                key, constraints);
        table.foreignKeys.putAll(foreignKeys);
        return table;
    }

    /** What this version sees of the table and how it is stored, as text: two tables of one shape give the same. */
    public String shape() {
        StringBuilder out = new StringBuilder(physical + " as " + name + ":");
        columns.forEach(c -> out.append(' ').append(c.physical()).append(" as ").append(c.name()).append(' ')
                .append(c.type()).append(c.nullable() ? " null" : " not null").append(" default ")
                .append(c.defaultValue()).append(','));
        return out.append(" key ").append(primaryKey).append(" constraints ").append(new TreeSet<>(constraints))
                .toString();
    }

    public String physical() {
        return physical;
    }

    public String name() {
        return name;
    }

    public void rename(String newName) {
        this.name = newName;
    }

    public List<ColumnModel> columns() {
        return List.copyOf(columns);
    }

    public Optional<ColumnModel> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<ColumnModel> columnByPhysical(String physical) {
        return columns.stream().filter(c -> c.physical().equals(physical)).findFirst();
    }

    public void addColumn(ColumnModel column) {
        columns.add(column);
        physicalColumns.add(column.physical());
    }

    /**
     * A physical column name for a column the migration adds: {@code wanted} when the physical table has no
     * column of that name (old columns stay until contract), otherwise a Tandem-prefixed one.
     */
    public String freePhysicalName(String wanted) {
        String candidate = wanted;
        for (int i = 1; physicalColumns.contains(candidate); i++) {
            candidate = Names.bounded("_tandem" + (i == 1 ? "" : i) + "_" + wanted);
        }
        return candidate;
    }

    /** True when the physical table has, or gets during the migration, a column of that name. */
    public boolean hasPhysicalColumn(String physical) {
        return physicalColumns.contains(physical);
    }

    public void removeColumn(String name) {
        columns.removeIf(c -> c.name().equals(name));
    }

    /** Puts {@code replacement} where the column called {@code name} stands. */
    public void replaceColumn(String name, ColumnModel replacement) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                columns.set(i, replacement);
                physicalColumns.add(replacement.physical());
                return;
            }
        }
        throw new IllegalArgumentException("no column " + name);
    }

    /** Physical names of the primary key columns; empty when the table has none. */
    public List<String> primaryKey() {
        return primaryKey;
    }

    public Set<String> constraints() {
        return Set.copyOf(constraints);
    }

    public boolean hasConstraint(String name) {
        return constraints.contains(name);
    }

    public void addConstraint(String name) {
        constraints.add(name);
    }

    public void removeConstraint(String name) {
        constraints.remove(name);
        foreignKeys.remove(name);
    }

    /** Adds a foreign key constraint referencing {@code referencedPhysicalTable}. */
    public void addForeignKey(String name, String referencedPhysicalTable) {
        constraints.add(name);
        foreignKeys.put(name, referencedPhysicalTable);
    }

    public void renameConstraint(String name, String newName) {
        constraints.remove(name);
        constraints.add(newName);
        String referenced = foreignKeys.remove(name);
        if (referenced != null) {
            foreignKeys.put(newName, referenced);
        }
    }

    public boolean hasForeignKey(String name) {
        return foreignKeys.containsKey(name);
    }

    /** Names of this table's foreign keys. */
    public List<String> foreignKeyNames() {
        return List.copyOf(foreignKeys.keySet());
    }

    /** Names of this table's foreign keys that reference {@code physicalTable}. */
    public List<String> foreignKeysTo(String physicalTable) {
        return foreignKeys.entrySet().stream().filter(e -> e.getValue().equals(physicalTable))
                .map(Map.Entry::getKey).toList();
    }
}
