package dev.tandem.coordinator.internal.dialect.postgres;

import static dev.tandem.coordinator.internal.sql.Quoting.ident;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * The rights a migration's statements need on PostgreSQL, checked before anything runs: ownership of each
 * existing table they change (or membership in its owner), CREATE on the database for a new schema, USAGE on the
 * target schema, and CREATE on it for a new table.
 */
final class PostgresRights {
    private PostgresRights() {
    }

    /** Why the session may not run {@code statements} on {@code schema}; null when it may. */
    static String missing(Connection c, String schema, List<Ddl> statements) throws SQLException {
        String sql = "SELECT current_user, current_database(), has_database_privilege(current_database(), 'CREATE'), "
                + "coalesce(has_schema_privilege(n.oid, 'USAGE'), false), "
                + "coalesce(has_schema_privilege(n.oid, 'CREATE'), false), n.oid IS NOT NULL "
                + "FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = ?";
        String user;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, schema);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                user = rows.getString(1);
                String database = rows.getString(2);
                String newSchema = statements.stream().filter(d -> d instanceof Ddl.CreateSchema)
                        .map(d -> ((Ddl.CreateSchema) d).schema()).findFirst().orElse(null);
                if (newSchema != null && !rows.getBoolean(3)) {
                    return "user '" + user + "' may not create schema '" + newSchema + "' (the migration's version "
                            + "schema): that needs CREATE on database '" + database + "' (GRANT CREATE ON DATABASE "
                            + ident(database) + " TO " + ident(user) + ")";
                }
                if (!rows.getBoolean(6)) {
                    // the statements fail on the missing schema, with the database's own message
                    return null;
                }
                if (!rows.getBoolean(4)) {
                    return "user '" + user + "' lacks USAGE on schema '" + schema + "', which the migration changes ("
                            + "GRANT USAGE ON SCHEMA " + ident(schema) + " TO " + ident(user) + ")";
                }
                boolean newTable = statements.stream().anyMatch(d -> d instanceof Ddl.CreateTable t
                        && t.table().schema().equals(schema));
                if (newTable && !rows.getBoolean(5)) {
                    return "user '" + user + "' lacks CREATE on schema '" + schema + "', where the migration creates "
                            + "a table (GRANT CREATE ON SCHEMA " + ident(schema) + " TO " + ident(user) + ")";
                }
            }
        }
        String[] tables = statements.stream().map(Ddl::target).filter(Objects::nonNull)
                .filter(t -> t.schema().equals(schema)).map(TableRef::name).distinct().toArray(String[]::new);
        // tables the migration creates do not exist yet and are not found
        String owners = "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ANY (?) "
                + "AND c.relkind IN ('r', 'p') AND NOT pg_has_role(current_user, c.relowner, 'USAGE') "
                + "ORDER BY c.relname LIMIT 1";
        try (PreparedStatement s = c.prepareStatement(owners)) {
            s.setString(1, schema);
            s.setArray(2, c.createArrayOf("text", tables));
            try (ResultSet rows = s.executeQuery()) {
                if (rows.next()) {
                    String table = ident(schema) + "." + ident(rows.getString(1));
                    String owner = rows.getString(2);
                    return "user '" + user + "' may not change table '" + schema + "." + rows.getString(1) + "', "
                            + "which the migration changes: that needs ownership of the table, which belongs to '"
                            + owner + "' (ALTER TABLE " + table + " OWNER TO " + ident(user) + "), or membership in "
                            + "its owner (GRANT " + ident(owner) + " TO " + ident(user) + ", then --role " + owner + ")";
                }
            }
        }
        return null;
    }
}
