package dev.tandem.coordinator.internal.ddl;

/** A table, view or other relation in a schema (a database on MySQL). */
public record TableRef(String schema, String name) {
    public TableRef withName(String newName) {
        return new TableRef(schema, newName);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
