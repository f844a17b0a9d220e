package dev.tandem.dualwrite.verify;

import java.util.List;

/**
 * Where one shape of the data lives: a table of the migrated schema, the columns that identify a row (NOT NULL,
 * unique together) and the columns that carry the data, in the order they are compared with the other shape's.
 */
public record Shape(String table, List<String> key, List<String> columns) {
    public Shape {
        requireName("table", table);
        key = List.copyOf(key);
        columns = List.copyOf(columns);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("shape " + table + ": key must name at least one column");
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("shape " + table + ": columns must name at least one column");
        }
        key.forEach(c -> requireName("key column of " + table, c));
        columns.forEach(c -> requireName("column of " + table, c));
    }

    private static void requireName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
