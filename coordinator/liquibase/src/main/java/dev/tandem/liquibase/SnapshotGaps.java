package dev.tandem.liquibase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What Liquibase's open-source snapshot does not read and a rollback must still put back: triggers, functions
 * (and procedures) and check constraints of one schema, one line each with its definition. Each query takes the
 * schema as its only parameter.
 */
enum SnapshotGaps {
    POSTGRES(List.of(
            "SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = ?",
            "SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '"
                    + " || md5(pg_get_functiondef(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE p.prokind IN ('f', 'p') AND n.nspname = ?",
            // pg_get_constraintdef ends with NOT VALID while the check is not validated
            "SELECT 'check constraint ' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)"
                    + " FROM pg_constraint k"
                    + " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE k.contype = 'c' AND n.nspname = ?")),
    MARIADB(List.of(
            "SELECT CONCAT('trigger ', trigger_name, ' ', action_timing, ' ', event_manipulation, ' ON ',"
                    + " event_object_table, ' ', MD5(action_statement)) FROM information_schema.triggers"
                    + " WHERE trigger_schema = ?",
            "SELECT CONCAT(LOWER(routine_type), ' ', routine_name, ' ', MD5(COALESCE(routine_definition, '')))"
                    + " FROM information_schema.routines WHERE routine_schema = ?",
            "SELECT CONCAT('check constraint ', table_name, '.', constraint_name, ' ', check_clause)"
                    + " FROM information_schema.check_constraints WHERE constraint_schema = ?"));

    private final List<String> queries;

    SnapshotGaps(List<String> queries) {
        this.queries = queries;
    }

    List<String> read(Connection connection, String schema) throws SQLException {
        List<String> lines = new ArrayList<>();
        for (String query : queries) {
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                statement.setString(1, schema);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
            }
        }
        lines.sort(String::compareTo);
        return lines;
    }
}
