package dev.tandem.dualwrite;

import dev.tandem.state.DatabaseKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A schema version an application runs on, and how its connections reach it: on PostgreSQL through the
 * search_path, on MariaDB and MySQL through a database (the JDBC catalog) plus the session variable
 * {@code @tandem_version}, by which the sync triggers tell the versions' writes apart.
 *
 * @param name       the migration that produced the version, or {@link #BASE} for a schema no migration changed
 * @param schema     the schema (on MariaDB and MySQL: the database) whose tables the migrations change
 * @param searchPath PostgreSQL: the schemas a connection of this version puts on its search_path, first one
 *                   first: the version's schema of views and then {@code schema}, or {@code schema} alone. Empty
 *                   when the version is a database
 * @param catalog    MariaDB and MySQL: the database a connection of this version uses, the version's database
 *                   of views or {@code schema} itself; null on PostgreSQL
 */
public record SchemaVersion(String name, String schema, List<String> searchPath, String catalog) {
    /** The version of a schema that no migration has changed yet. */
    public static final String BASE = "base";

    public SchemaVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        searchPath = List.copyOf(searchPath);
        if (searchPath.isEmpty() == (catalog == null)) {
            throw new IllegalArgumentException("version '" + name + "' needs either a search path or a catalog");
        }
    }

    /** A PostgreSQL version, reached through the search_path. */
    public SchemaVersion(String name, String schema, List<String> searchPath) {
        this(name, schema, searchPath, null);
    }

    /** A MariaDB or MySQL version, reached through the database {@code catalog}. */
    public static SchemaVersion inDatabase(String name, String schema, String catalog) {
        return new SchemaVersion(name, schema, List.of(), Objects.requireNonNull(catalog, "catalog"));
    }

    /** Whether the version is a database (MariaDB, MySQL) rather than a search_path (PostgreSQL). */
    public boolean isDatabase() {
        return catalog != null;
    }

    /** The schemas (databases) a connection of this version needs. */
    List<String> requiredSchemas() {
        return isDatabase() ? List.of(catalog) : searchPath;
    }

    /**
     * PostgreSQL: the statement that puts a connection on this version, with every schema name quoted.
     *
     * @throws IllegalStateException for a MariaDB or MySQL version: use {@link #catalog()} and {@link #initSql()}
     */
    public String setSearchPathSql() {
        if (isDatabase()) {
            throw new IllegalStateException("version '" + name + "' is the database '" + catalog + "', not a "
                    + "search_path: use catalog() and initSql(), or applyTo(connection)");
        }
        return "SET search_path TO " + searchPath.stream().map(DatabaseKind.POSTGRESQL::ident)
                .collect(Collectors.joining(", "));
    }

    /**
     * The one statement a new connection runs to be on this version, on top of using {@link #catalog()} on
     * MariaDB and MySQL: {@code SET search_path TO …} on PostgreSQL, {@code SET @tandem_version = '…'} on MariaDB
     * and MySQL, which the sync triggers read.
     */
    public String initSql() {
        return isDatabase() ? "SET @tandem_version = '" + catalog.replace("'", "''") + "'" : setSearchPathSql();
    }

    /** Puts {@code connection} on this version: its catalog (MariaDB, MySQL), then {@link #initSql()}. */
    public void applyTo(Connection connection) throws SQLException {
        if (isDatabase()) {
            connection.setCatalog(catalog);
        }
        try (Statement s = connection.createStatement()) {
            s.execute(initSql());
        }
    }

    /** How a connection reaches the version, for messages and health details. */
    public String route() {
        return isDatabase() ? "database " + catalog : "search_path " + String.join(", ", searchPath);
    }
}
