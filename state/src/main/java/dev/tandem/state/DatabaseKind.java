package dev.tandem.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kinds of database Tandem keeps its state on, and the few ways their SQL differs in the state's statements.
 * MySQL counts as {@link #MARIADB}: it keeps its state the same way (the coordinator refuses to migrate it).
 */
public enum DatabaseKind {
    POSTGRESQL,
    MARIADB;

    /**
     * The kind of the database {@code connection} is on, by the driver's product name, else (a driver that names
     * the product its own way) by the server's {@code SELECT VERSION()}; empty for any other database.
     */
    public static Optional<DatabaseKind> of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.equals("postgresql")) {
            return Optional.of(POSTGRESQL);
        }
        if (product.equals("mariadb") || product.equals("mysql")) {
            return Optional.of(MARIADB);
        }
        String version;
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT VERSION()")) {
            r.next();
            version = r.getString(1).toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
            return Optional.empty();
        }
        if (version.startsWith("postgresql")) {
            return Optional.of(POSTGRESQL);
        }
        // MariaDB says "10.11.6-MariaDB…", MySQL "8.0.36…"
        return version.contains("mariadb") || version.matches("^\\d+\\.\\d+\\.\\d+.*") ? Optional.of(MARIADB)
                : Optional.empty();
    }

    /** {@code name} quoted as an identifier. */
    public String ident(String name) {
        return this == POSTGRESQL ? '"' + name.replace("\"", "\"\"") + '"' : '`' + name.replace("`", "``") + '`';
    }

    /** What the database calls the namespace of the state tables, in messages: schema or database. */
    public String schemaNoun() {
        return this == POSTGRESQL ? "schema" : "database";
    }

    /** The clause after an INSERT that updates {@code columns} from the new row when a row with its key exists. */
    public String onConflict(String key, List<String> columns) {
        return this == POSTGRESQL
                ? " ON CONFLICT (" + key + ") DO UPDATE SET "
                        + columns.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "))
                : " ON DUPLICATE KEY UPDATE "
                        + columns.stream().map(c -> c + " = VALUES(" + c + ")").collect(Collectors.joining(", "));
    }

    /** An INSERT of {@code into} ("table (columns) VALUES (…)") that leaves a row with the same key alone. */
    public String insertIfAbsent(String into) {
        return this == POSTGRESQL ? "INSERT INTO " + into + " ON CONFLICT DO NOTHING" : "INSERT IGNORE INTO " + into;
    }

    /** The time the current transaction started (PostgreSQL) or the statement did (MariaDB). */
    public String now() {
        return this == POSTGRESQL ? "now()" : "CURRENT_TIMESTAMP(6)";
    }

    /** The time at this moment. */
    public String clock() {
        return this == POSTGRESQL ? "clock_timestamp()" : "NOW(6)";
    }

    /** An interval; parameter: its length in milliseconds. */
    public String millis() {
        return this == POSTGRESQL ? "? * interval '1 millisecond'" : "INTERVAL ? * 1000 MICROSECOND";
    }

    /** A text parameter that may be null in {@code ? IS NULL}: PostgreSQL needs its type spelled out. */
    String nullableText() {
        return this == POSTGRESQL ? "?::text" : "?";
    }
}
