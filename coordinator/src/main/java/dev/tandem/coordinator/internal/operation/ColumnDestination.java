package dev.tandem.coordinator.internal.operation;

/**
 * Where {@code move_column} puts a column's values: {@code column} of {@code table}, in the
 * row whose {@code key} holds the source row's primary key (a one-to-one extension table: {@code key} is its
 * primary key or unique, and usually a foreign key to the source).
 */
public record ColumnDestination(String table, String column, String key) {
    public ColumnDestination {
        Check.name("to.table", table);
        Check.name("to.column", column);
        Check.name("to.key", key);
    }
}
