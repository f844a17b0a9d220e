package dev.tandem.dualwrite.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * What differs between the databases Tandem's state can live in: quoting, catalog lookups, the registry lock,
 * the upsert of a heartbeat, and whether versions are databases. {@link TandemState} runs the statements.
 */
public interface StateSql {

    /** Picks the SQL by the server's own version string, whichever driver is in use. */
    static StateSql detect(Connection c) throws SQLException {
        String version;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT VERSION()")) {
            r.next();
            version = r.getString(1);
        }
        String lower = version.toLowerCase(Locale.ROOT);
        if (lower.startsWith("postgresql")) {
            return postgres();
        }
        // MariaDB says "10.11.6-MariaDB…", MySQL "8.0.36…": both keep versions in databases of views
        return MariaDbStateSql.INSTANCE;
    }

    /** PostgreSQL's SQL, for what only runs there (verify-data's drift query, the search_path). */
    static StateSql postgres() {
        return PostgresStateSql.INSTANCE;
    }

    String ident(String name);

    /** One row when table {@code ?2} exists in schema (database) {@code ?1}. */
    String tableExists();

    /** One row when schema (database) {@code ?} exists. */
    String schemaExists();

    /**
     * Whether a version is reached through a database (MariaDB, MySQL: {@code Connection.setCatalog}) rather
     * than a search_path (PostgreSQL).
     */
    boolean versionsAreDatabases();

    /** The table whose existence the registry lock needs, or null when it needs none. */
    String registryLockTable();

    /** Takes the registry lock shared until the transaction ends. */
    String registryLock(String stateSchema);

    /**
     * Inserts or refreshes an instance's row; parameters: instance id, target schema, version, host, start
     * time (null: now).
     */
    String heartbeat(String instancesTable);

    /** Creates the registry table (and its schema or database) when missing; safe to run concurrently. */
    List<String> createInstancesTable(String stateSchema, String instancesTable);

    /** A text parameter that may be null in {@code ? IS NULL}: PostgreSQL needs its type spelled out. */
    String nullableText();
}
