package dev.tandem.coordinator.internal.dialect;

import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ConstraintKind;
import dev.tandem.state.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one schema's catalog from a dialect's queries, each taking the schema's name as its one parameter.
 * Tables are those that have columns, in the order their columns were read.
 */
public final class CatalogReader {
    private final Connection connection;
    private final String schema;
    private final Map<String, List<CatalogSnapshot.Column>> columns = new LinkedHashMap<>();
    private final Map<String, List<CatalogSnapshot.Constraint>> constraints = new LinkedHashMap<>();
    private final Map<String, List<String>> primaryKeys = new LinkedHashMap<>();
    private final List<CatalogSnapshot.Index> indexes = new ArrayList<>();
    private final Map<String, List<String>> triggers = new LinkedHashMap<>();
    private final Map<String, List<String>> foreignUsers = new LinkedHashMap<>();
    private final Map<String, String> unsupported = new LinkedHashMap<>();
    private final List<String> others = new ArrayList<>();

    public CatalogReader(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    public void query(String sql, Jdbc.RowReader reader) throws SQLException {
        Jdbc.query(connection, sql, reader, schema);
    }

    public void column(String table, CatalogSnapshot.Column column) {
        columns.computeIfAbsent(table, t -> new ArrayList<>()).add(column);
    }

    /** The table's columns read so far, as the list the snapshot will hold: a caller may replace one in place. */
    public List<CatalogSnapshot.Column> columns(String table) {
        return columns.getOrDefault(table, List.of());
    }

    /** Records the constraint, and its columns as the table's primary key when it is one. */
    public void constraint(String table, CatalogSnapshot.Constraint constraint) {
        constraints.computeIfAbsent(table, t -> new ArrayList<>()).add(constraint);
        if (constraint.kind() == ConstraintKind.PRIMARY_KEY) {
            primaryKeys.put(table, constraint.columns());
        }
    }

    public void index(CatalogSnapshot.Index index) {
        indexes.add(index);
    }

    /** A trigger of the table's that is not Tandem's. */
    public void trigger(String table, String name) {
        triggers.computeIfAbsent(table, t -> new ArrayList<>()).add(name);
    }

    /** A foreign key of another schema's table ({@code schema.table.key}) that refers to the table. */
    /** A table Tandem cannot change, and why: operations that name it are refused with the reason. */
    public void unsupported(String table, String reason) {
        unsupported.put(table, reason);
    }

    /** A relation that is not a table Tandem reads, which a version schema shows as it is. */
    public void other(String name) {
        others.add(name);
    }

    public void foreignUser(String table, String key) {
        foreignUsers.computeIfAbsent(table, t -> new ArrayList<>()).add(key);
    }

    public CatalogSnapshot snapshot() {
        List<CatalogSnapshot.Table> tables = new ArrayList<>();
        columns.forEach((table, tableColumns) -> tables.add(new CatalogSnapshot.Table(table, tableColumns,
                primaryKeys.getOrDefault(table, List.of()), constraints.getOrDefault(table, List.of()),
                triggers.getOrDefault(table, List.of()), foreignUsers.getOrDefault(table, List.of()))));
        return new CatalogSnapshot(schema, tables, indexes, unsupported, others);
    }
}
