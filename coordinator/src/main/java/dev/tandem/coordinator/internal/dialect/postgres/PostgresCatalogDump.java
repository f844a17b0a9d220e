package dev.tandem.coordinator.internal.dialect.postgres;

import dev.tandem.coordinator.internal.sql.Quoting;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A text dump of everything in a database's catalog that a migration may touch, sorted so two dumps compare
 * line by line. Tandem's state tables are left out (their rows change by design); its trigger functions
 * are kept, so a rollback that leaves one behind shows.
 */
public final class PostgresCatalogDump {
    private static final String USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            + " AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'";
    private static final String NOT_STATE = " AND n.nspname <> STATE_SCHEMA";

    private static final List<String> QUERIES = List.of(
            "SELECT 'schema ' || n.nspname FROM pg_namespace n WHERE " + USER_SCHEMAS + NOT_STATE,
            "SELECT 'relation ' || n.nspname || '.' || c.relname || ' kind=' || c.relkind::text FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMAS + NOT_STATE,
            "SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' #' "
                    + "|| (SELECT count(*) FROM pg_attribute b WHERE b.attrelid = a.attrelid AND b.attnum > 0 "
                    + "AND NOT b.attisdropped AND b.attnum <= a.attnum) || ' ' || format_type(a.atttypid, a.atttypmod)"
                    + " || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
                    + " || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')"
                    + " || coalesce(' identity ' || nullif(a.attidentity::text, ''), '')"
                    + " || coalesce(' comment ' || col_description(c.oid, a.attnum), '')"
                    + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') AND "
                    + USER_SCHEMAS + NOT_STATE,
            "SELECT 'constraint ' || n.nspname || '.' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)"
                    + " || CASE WHEN k.convalidated THEN '' ELSE ' NOT VALIDATED' END"
                    + " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE " + USER_SCHEMAS + NOT_STATE,
            "SELECT 'index ' || pg_get_indexdef(x.indexrelid) || CASE WHEN x.indisvalid THEN '' ELSE ' INVALID' END"
                    + " FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE " + USER_SCHEMAS + NOT_STATE,
            "SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND " + USER_SCHEMAS,
            "SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'"
                    + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + USER_SCHEMAS,
            "SELECT 'view ' || n.nspname || '.' || c.relname || ' ' || pg_get_viewdef(c.oid)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v' AND "
                    + USER_SCHEMAS + NOT_STATE,
            "SELECT 'table comment ' || n.nspname || '.' || c.relname || ' ' || obj_description(c.oid, 'pg_class')"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE obj_description(c.oid, 'pg_class') IS NOT NULL AND " + USER_SCHEMAS + NOT_STATE);

    private PostgresCatalogDump() {
    }

    /** The sorted dump; {@code stateSchema} is Tandem's state schema, whose tables are left out. */
    public static List<String> dump(Connection connection, String stateSchema) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            for (String query : QUERIES) {
                try (ResultSet rows = s.executeQuery(query.replace("STATE_SCHEMA", Quoting.literal(stateSchema)))) {
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
