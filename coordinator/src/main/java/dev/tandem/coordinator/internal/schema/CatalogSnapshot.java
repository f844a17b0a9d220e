package dev.tandem.coordinator.internal.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The tables of one schema as the database reported them before a migration's expand. Stored with the
 * migration's state so every later phase, on any machine, works from the same picture.
 */
/**
 * @param unsupported tables of the schema Tandem cannot change, by name, each with the reason (MariaDB's
 *                    system-versioned tables); stored only when there are any
 * @param others      the schema's relations that are not tables Tandem reads (MariaDB: views, system-versioned
 *                    tables), which a version database shows as they are; stored only when there are any
 */
public record CatalogSnapshot(String schema, List<Table> tables, List<Index> indexes,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> unsupported,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> others) {
    public CatalogSnapshot {
        unsupported = unsupported == null ? Map.of() : Map.copyOf(unsupported);
        others = others == null ? List.of() : List.copyOf(others);
    }

    public CatalogSnapshot(String schema, List<Table> tables, List<Index> indexes) {
        this(schema, tables, indexes, Map.of(), List.of());
    }

    /**
     * @param triggers     the table's triggers that are not Tandem's (MySQL family; empty on PostgreSQL, and in
     *                     snapshots stored before they were recorded)
     * @param foreignUsers the foreign keys of other schemas' tables that refer to this one, as
     *                     {@code schema.table.key} (MySQL family, where a schema is a database; empty otherwise)
     *                     Both are stored only when not empty, so that a Tandem from before them reads the rest.
     */
    public record Table(String name, List<Column> columns, List<String> primaryKey, List<Constraint> constraints,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> triggers,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> foreignUsers) {
        public Table {
            triggers = triggers == null ? List.of() : List.copyOf(triggers);
            foreignUsers = foreignUsers == null ? List.of() : List.copyOf(foreignUsers);
        }
    }

    /**
     * @param generated an identity, AUTO_INCREMENT or generated column
     * @param autoIncrement filled from AUTO_INCREMENT (MySQL family), which BEFORE INSERT triggers see as 0 when the
     *                      insert leaves it out; false in snapshots stored before it was recorded
     * @param onUpdate  set by the database on every update that does not set it ({@code ON UPDATE CURRENT_TIMESTAMP},
     *                  MySQL family); stored only when true
     */
    public record Column(String name, String type, boolean nullable, String defaultValue, boolean generated,
                         boolean autoIncrement, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean onUpdate) {
        public Column(String name, String type, boolean nullable, String defaultValue, boolean generated,
                      boolean autoIncrement) {
            this(name, type, nullable, defaultValue, generated, autoIncrement, false);
        }
    }

    /**
     * {@code referencedTable}: the table a foreign key points to when it is in the same schema, else null.
     */
    public record Constraint(String name, ConstraintKind kind, List<String> columns, String definition,
                             String referencedTable) {
    }

    /**
     * @param columns every column the index uses: its key and included columns in order, then (PostgreSQL) the
     *                columns that only its expressions or predicate use
     * @param simple plain columns only: no expression, no predicate
     * @param method the access method (btree, gin, ...); null in snapshots stored before it was recorded
     * @param definition (PostgreSQL) what follows {@code USING method} in the index's definition: its keys, then any
     *                   INCLUDE, WITH, TABLESPACE and WHERE; null where not recorded (MariaDB, older snapshots)
     */
    public record Index(String name, String table, List<String> columns, boolean unique, boolean primary,
                        boolean simple, String method, @JsonInclude(JsonInclude.Include.NON_NULL) String definition) {
        public Index(String name, String table, List<String> columns, boolean unique, boolean primary, boolean simple,
                     String method) {
            this(name, table, columns, unique, primary, simple, method, null);
        }
    }
}
