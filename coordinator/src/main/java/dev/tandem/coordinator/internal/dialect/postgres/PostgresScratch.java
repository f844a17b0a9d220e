package dev.tandem.coordinator.internal.dialect.postgres;

import dev.tandem.coordinator.internal.sql.Quoting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@code migrate verify} does on a scratch server: throw-away databases and statements run and undone. */
public final class PostgresScratch {
    /** serial types are shorthands: the column is stored as the integer type, with a sequence default. */
    private static final Map<String, String> SERIALS = Map.of("smallserial", "smallint", "serial2", "smallint",
            "serial", "integer", "serial4", "integer", "bigserial", "bigint", "serial8", "bigint");

    private PostgresScratch() {
    }

    public static void createDatabase(Connection admin, String name) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + Quoting.ident(name) + " TEMPLATE template0");
        }
    }

    public static void dropDatabase(Connection admin, String name) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + Quoting.ident(name) + " WITH (FORCE)");
        }
    }

    /**
     * Runs {@code sql} with {@code searchPath} (schemas, first first) in a transaction that is then rolled back,
     * so an application's statement can be tried without changing anything.
     *
     * @throws SQLException what the statement failed with
     */
    public static void runRolledBack(Connection connection, List<String> searchPath, String sql) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCAL search_path TO "
                    + searchPath.stream().map(Quoting::ident).collect(Collectors.joining(", ")));
            s.execute(sql);
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Prepares {@code sql}, a captured statement with {@code $n} parameters, with {@code searchPath}: the server
     * parses and analyses it, inferring the parameters' types, without running it; then deallocates it.
     *
     * @throws SQLException what the statement failed with
     */
    public static void prepareRolledBack(Connection connection, List<String> searchPath, String sql)
            throws SQLException {
        runRolledBack(connection, searchPath, "PREPARE tandem_verify_statement AS " + sql);
        try (Statement s = connection.createStatement()) {
            // a prepared statement outlives the transaction that created it
            s.execute("DEALLOCATE tandem_verify_statement");
        }
    }

    /**
     * Whether two type names as written (a migration's {@code varchar(20)}, the catalog's {@code character
     * varying(20)}) name the same base type; modifiers such as a length are not compared.
     */
    public static boolean sameBaseType(Connection connection, String declared, String actual) throws SQLException {
        String stored = SERIALS.getOrDefault(declared.toLowerCase(Locale.ROOT), declared);
        if (stored.equalsIgnoreCase(actual)) {
            return true;
        }
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT to_regtype(?) IS NOT DISTINCT FROM to_regtype(?)")) {
            s.setString(1, stored);
            s.setString(2, actual);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
