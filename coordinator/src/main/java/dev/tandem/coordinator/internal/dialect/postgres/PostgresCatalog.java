package dev.tandem.coordinator.internal.dialect.postgres;

import dev.tandem.coordinator.internal.dialect.CatalogReader;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ConstraintKind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one schema's tables, columns, keys, constraints and indexes from pg_catalog. The partitions of a partitioned
 * table are not tables of their own here: they take every change of the partitioned table (its columns, its row
 * triggers), and a version's views of them would keep contract from dropping a column of theirs.
 */
final class PostgresCatalog {
    private static final String COLUMNS = """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), (a.attidentity <> '' OR a.attgenerated <> '')
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            ORDER BY c.relname, a.attnum""";
    private static final String CONSTRAINTS = """
            SELECT c.relname, k.conname, k.contype::text,
                   ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord),
                   pg_get_constraintdef(k.oid),
                   (SELECT r.relname FROM pg_class r WHERE r.oid = k.confrelid AND r.relnamespace = c.relnamespace)
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            ORDER BY c.relname, k.conname""";
    private static final String INDEXES = """
            SELECT i.relname, t.relname,
                   -- key and INCLUDE columns in order, then the columns only its expressions or predicate use
                   ARRAY(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS u(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.attnum ORDER BY u.ord)
                   || ARRAY(SELECT a.attname FROM pg_depend d
                            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                            WHERE d.classid = 'pg_class'::regclass AND d.objid = x.indexrelid
                              AND d.refclassid = 'pg_class'::regclass AND d.refobjid = x.indrelid
                              AND d.refobjsubid > 0 AND d.refobjsubid <> ALL (x.indkey::int2[])
                            ORDER BY a.attnum),
                   x.indisunique, x.indisprimary,
                   -- plain: no expression, predicate, INCLUDE column, sort option, operator class or collation
                   -- of its own, so the same column list rebuilds the same index
                   (x.indexprs IS NULL AND x.indpred IS NULL AND x.indnkeyatts = x.indnatts
                    AND NOT EXISTS (SELECT 1 FROM unnest(x.indoption::int2[]) AS o(v) WHERE o.v <> 0)
                    AND NOT EXISTS (SELECT 1 FROM unnest(x.indclass::oid[]) AS k(opclass)
                                    JOIN pg_opclass c ON c.oid = k.opclass WHERE NOT c.opcdefault)
                    AND NOT EXISTS (SELECT 1 FROM unnest(x.indcollation::oid[]) AS l(coll)
                                    WHERE l.coll NOT IN (0, 100))),
                   (SELECT am.amname FROM pg_am am WHERE am.oid = i.relam),
                   pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = ? AND t.relkind IN ('r', 'p') AND NOT t.relispartition
            ORDER BY i.relname""";

    private final Connection connection;
    private final String schema;

    PostgresCatalog(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    CatalogSnapshot read() throws SQLException {
        CatalogReader catalog = new CatalogReader(connection, schema);
        catalog.query(COLUMNS, row -> catalog.column(row.getString(1), new CatalogSnapshot.Column(row.getString(2),
                row.getString(3), row.getBoolean(4), row.getString(5), row.getBoolean(6), false)));
        catalog.query(CONSTRAINTS, row -> catalog.constraint(row.getString(1), new CatalogSnapshot.Constraint(
                row.getString(2), ConstraintKind.of(row.getString(3)), strings(row.getArray(4)), row.getString(5), row.getString(6))));
        catalog.query(INDEXES, row -> catalog.index(new CatalogSnapshot.Index(row.getString(1), row.getString(2),
                strings(row.getArray(3)), row.getBoolean(4), row.getBoolean(5), row.getBoolean(6),
                row.getString(7), afterMethod(row.getString(8), row.getString(7)))));
        return catalog.snapshot();
    }

    /** What follows {@code USING method} in an index's definition, or null if it does not say so once. */
    private static String afterMethod(String definition, String method) {
        String using = " USING " + method + " ";
        int at = definition.indexOf(using);
        return at < 0 || definition.indexOf(using, at + 1) >= 0 ? null : definition.substring(at + using.length());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
