package dev.tandem.coordinator.internal.dialect.postgres;

import static dev.tandem.coordinator.internal.sql.Quoting.ident;

import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.state.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects that keep PostgreSQL from dropping a column or a table without CASCADE: views and materialized views,
 * generated columns, policies and triggers that name it ({@code pg_depend}, normal dependencies; indexes and
 * constraints go with the column by themselves). Views of Tandem's version schemas and Tandem's own triggers are
 * left out: contract replaces those itself.
 */
final class PostgresDependents {
    private static final String DEPENDENTS = """
            SELECT DISTINCT CASE d.classid
                WHEN 'pg_rewrite'::regclass THEN (
                    SELECT CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END
                           || format('%I.%I', n.nspname, c.relname)
                    FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE r.oid = d.objid AND c.oid <> d.refobjid
                      AND NOT n.nspname = ANY (string_to_array(?, ',')))
                WHEN 'pg_attrdef'::regclass THEN (
                    SELECT 'generated column ' || quote_ident(a.attname) FROM pg_attrdef ad
                    JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
                    WHERE ad.oid = d.objid AND a.attgenerated <> '')
                WHEN 'pg_policy'::regclass THEN (
                    SELECT 'policy ' || quote_ident(p.polname) FROM pg_policy p WHERE p.oid = d.objid)
                WHEN 'pg_trigger'::regclass THEN (
                    SELECT 'trigger ' || quote_ident(t.tgname) FROM pg_trigger t
                    WHERE t.oid = d.objid AND t.tgname NOT LIKE '!_tandem!_%' ESCAPE '!'
                      AND t.tgname NOT LIKE '-!_tandem!_%' ESCAPE '!')
              END
            FROM pg_depend d
            WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = to_regclass(?) AND d.deptype = 'n'
              AND (? = '' OR d.refobjsubid = (SELECT attnum FROM pg_attribute
                                                WHERE attrelid = d.refobjid AND attname = ?))
            ORDER BY 1""";

    private PostgresDependents() {
    }

    /**
     * @param column       the column, or null for the whole table
     * @param ownSchemas   Tandem's version schemas, whose views are left out
     */
    static List<String> of(Connection connection, TableRef table, String column, List<String> ownSchemas)
            throws SQLException {
        List<String> dependents = new ArrayList<>();
        String name = column == null ? "" : column;
        Jdbc.query(connection, DEPENDENTS, row -> {
            if (row.getString(1) != null) {
                dependents.add(row.getString(1));
            }
        }, String.join(",", ownSchemas), ident(table.schema()) + "." + ident(table.name()), name, name);
        return dependents;
    }
}
