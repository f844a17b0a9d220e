package dev.tandem.coordinator.internal.sql;

/** The one place names and literals are quoted for SQL text. */
public final class Quoting {
    private Quoting() {
    }

    /** A double-quoted identifier (PostgreSQL and ANSI_QUOTES style). */
    public static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A backtick-quoted identifier (MySQL and MariaDB). */
    public static String backtick(String name) {
        return '`' + name.replace("`", "``") + '`';
    }

    /** A single-quoted string literal with standard conforming strings. */
    public static String literal(String value) {
        return value == null ? "NULL" : '\'' + value.replace("'", "''") + '\'';
    }
}
