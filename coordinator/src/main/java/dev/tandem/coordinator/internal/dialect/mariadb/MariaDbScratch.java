package dev.tandem.coordinator.internal.dialect.mariadb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code migrate verify} does on a MariaDB scratch server: a throw-away database (with its version
 * databases and a state database of its own, so the server's {@code tandem} database is never touched),
 * statements run and undone as one version, and the catalog as text.
 */
public final class MariaDbScratch {
    /** Names MariaDB takes for its own types, and the shorthands it stores as another type. */
    private static final Map<String, String> SYNONYMS = Map.ofEntries(Map.entry("integer", "int"),
            Map.entry("bool", "tinyint"), Map.entry("boolean", "tinyint"), Map.entry("character varying", "varchar"),
            Map.entry("character", "char"), Map.entry("dec", "decimal"), Map.entry("numeric", "decimal"),
            Map.entry("fixed", "decimal"), Map.entry("double precision", "double"), Map.entry("real", "double"),
            Map.entry("serial", "bigint unsigned"), Map.entry("int4", "int"), Map.entry("int8", "bigint"),
            Map.entry("int2", "smallint"), Map.entry("float8", "double"), Map.entry("float4", "float"));

    private static final Pattern SHORTENED_LIST = Pattern.compile("\\(\\s*\\.\\.\\.\\s*\\)");

    private MariaDbScratch() {
    }

    /** Tandem's state for the scratch database {@code database}, dropped with it. */
    public static String stateDatabase(String database) {
        return database + "_state";
    }

    /**
     * A LIKE pattern for the version databases of {@code database} ({@code database__migration}), escaped with
     * '!' since a session in NO_BACKSLASH_ESCAPES mode, as Tandem's are, has no backslash escape.
     */
    private static String versionDatabases(String database) {
        return database.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "!_!_%";
    }

    public static void createDatabase(Connection admin, String name) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + MariaDbDialect.ident(name));
        }
    }

    /** Drops the database, the version databases Tandem made for it, and its state database. */
    public static void dropDatabase(Connection admin, String name) throws SQLException {
        List<String> databases = new ArrayList<>();
        try (PreparedStatement s = admin.prepareStatement("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA"
                + " WHERE SCHEMA_NAME = ? OR SCHEMA_NAME = ? OR SCHEMA_NAME LIKE ? ESCAPE '!'")) {
            s.setString(1, name);
            s.setString(2, stateDatabase(name));
            s.setString(3, versionDatabases(name));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    databases.add(rows.getString(1));
                }
            }
        }
        try (Statement s = admin.createStatement()) {
            for (String database : databases) {
                s.execute("DROP DATABASE IF EXISTS " + MariaDbDialect.ident(database));
            }
        }
    }

    /**
     * Runs {@code sql} as the version whose database is {@code database} (the tables' own database, or a version
     * database, which its views require the session to name), in a transaction that is then rolled back.
     * The connection is back on its own database afterwards.
     *
     * @throws SQLException what the statement failed with
     */
    public static void runRolledBack(Connection connection, String database, String sql) throws SQLException {
        asVersion(connection, database, s -> s.execute(sql));
    }

    /**
     * Prepares {@code sql}, a captured statement with {@code ?} parameters (as performance_schema's digests
     * record it), as the version of {@code database}: the server resolves its tables and columns without
     * running it; then deallocates it. A value list the digest shortened to {@code (...)} is prepared as
     * {@code (?)}.
     *
     * @throws SQLException what the statement failed with
     */
    public static void prepareRolledBack(Connection connection, String database, String sql) throws SQLException {
        asVersion(connection, database, s -> {
            try (PreparedStatement text = connection.prepareStatement("SET @tandem_verify_sql = ?")) {
                text.setString(1, SHORTENED_LIST.matcher(sql).replaceAll("(?)"));
                text.execute();
            }
            s.execute("PREPARE tandem_verify_statement FROM @tandem_verify_sql");
            s.execute("DEALLOCATE PREPARE tandem_verify_statement");
        });
    }

    @FunctionalInterface
    private interface Work {
        void run(Statement statement) throws SQLException;
    }

    private static void asVersion(Connection connection, String database, Work work) throws SQLException {
        String own = connection.getCatalog();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement();
             PreparedStatement version = connection.prepareStatement(
                     "SET " + MariaDbDialect.VERSION_VARIABLE + " = ?")) {
            connection.setCatalog(database);
            version.setString(1, database.equals(own) ? null : database);
            version.execute();
            work.run(s);
        } finally {
            connection.rollback();
            try (Statement s = connection.createStatement()) {
                s.execute("SET " + MariaDbDialect.VERSION_VARIABLE + " = NULL");
            }
            connection.setCatalog(own);
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Whether two type names as written (a migration's {@code integer}, the catalog's {@code int(11)}) name
     * the same base type; lengths and precisions are not compared.
     */
    public static boolean sameBaseType(String declared, String actual) {
        return baseType(declared).equals(baseType(actual));
    }

    private static String baseType(String type) {
        String base = type.toLowerCase(Locale.ROOT).replaceAll("\\([^)]*\\)", " ").replaceAll("\\s+", " ").strip();
        return SYNONYMS.getOrDefault(base, base);
    }

    /**
     * The catalog of {@code database} and its version databases as sorted lines: databases, tables, columns,
     * indexes, constraints, triggers, views and routines. Tandem's state database is left out (its rows change
     * by design).
     */
    public static List<String> dump(Connection connection, String database) throws SQLException {
        String schemas = "IN (SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?"
                + " OR SCHEMA_NAME LIKE ? ESCAPE '!')";
        List<String> lines = new ArrayList<>();
        for (String query : List.of(
                "SELECT CONCAT_WS(' ', 'database', SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME)"
                        + " FROM information_schema.SCHEMATA WHERE SCHEMA_NAME " + schemas,
                "SELECT CONCAT_WS(' ', 'table', TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION,"
                        + " TABLE_COMMENT) FROM information_schema.TABLES WHERE TABLE_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'column', TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE,"
                        + " IS_NULLABLE, IFNULL(COLUMN_DEFAULT, '-'), EXTRA, COLLATION_NAME, GENERATION_EXPRESSION,"
                        + " COLUMN_COMMENT) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'index', TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX,"
                        + " COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE, IGNORED)"
                        + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'constraint', CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE)"
                        + " FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'check', CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE)"
                        + " FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'reference', CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME,"
                        + " REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE)"
                        + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'reference column', CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME,"
                        + " REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME)"
                        + " FROM information_schema.KEY_COLUMN_USAGE WHERE REFERENCED_TABLE_NAME IS NOT NULL"
                        + " AND CONSTRAINT_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'trigger', TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING,"
                        + " EVENT_MANIPULATION, ACTION_STATEMENT) FROM information_schema.TRIGGERS"
                        + " WHERE TRIGGER_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'view', TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE)"
                        + " FROM information_schema.VIEWS WHERE TABLE_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'routine', ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION,"
                        + " ROUTINE_COMMENT) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA " + schemas)) {
            try (PreparedStatement s = connection.prepareStatement(query)) {
                s.setString(1, database);
                s.setString(2, versionDatabases(database));
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        lines.add(String.valueOf(rows.getString(1)));
                    }
                }
            }
        }
        lines.sort(String::compareTo);
        return lines;
    }
}
