package dev.tandem.coordinator.internal.dialect.mariadb;

import dev.tandem.coordinator.internal.dialect.CatalogReader;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ConstraintKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads one database's tables, columns, keys, constraints and indexes from information_schema. Index names
 * are unique per table only; the primary key's index is called PRIMARY in every table. The default index
 * type, BTREE, is recorded as no access method.
 */
final class MariaDbCatalog {
    private static final String COLUMNS = """
            SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE = 'YES', c.COLUMN_DEFAULT,
                   c.EXTRA LIKE '%auto_increment%' OR c.EXTRA LIKE '%GENERATED%', c.EXTRA LIKE '%auto_increment%',
                   c.EXTRA LIKE '%on update%'
            FROM information_schema.COLUMNS c
            JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
            WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE'
            ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION""";
    private static final String CONSTRAINTS = """
            SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.CONSTRAINT_TYPE,
                   (SELECT GROUP_CONCAT(u.COLUMN_NAME ORDER BY u.ORDINAL_POSITION SEPARATOR '\n')
                    FROM information_schema.KEY_COLUMN_USAGE u
                    WHERE u.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND u.TABLE_NAME = k.TABLE_NAME
                      AND u.CONSTRAINT_NAME = k.CONSTRAINT_NAME),
                   (SELECT h.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS h
                    WHERE h.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND h.TABLE_NAME = k.TABLE_NAME
                      AND h.CONSTRAINT_NAME = k.CONSTRAINT_NAME),
                   (SELECT r.REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS r
                    WHERE r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME
                      AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.UNIQUE_CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA),
                   (SELECT CONCAT('ON UPDATE ', r.UPDATE_RULE, ' ON DELETE ', r.DELETE_RULE)
                    FROM information_schema.REFERENTIAL_CONSTRAINTS r
                    WHERE r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME
                      AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME),
                   (SELECT h.LEVEL FROM information_schema.CHECK_CONSTRAINTS h
                    WHERE h.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND h.TABLE_NAME = k.TABLE_NAME
                      AND h.CONSTRAINT_NAME = k.CONSTRAINT_NAME)
            FROM information_schema.TABLE_CONSTRAINTS k
            WHERE k.CONSTRAINT_SCHEMA = ?
            ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME""";
    private static final String INDEXES = """
            SELECT INDEX_NAME, TABLE_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR '\n'),
                   MIN(NON_UNIQUE) = 0, INDEX_NAME = 'PRIMARY',
                   -- plain: whole columns in ascending order, so the same column list rebuilds the same index
                   COUNT(SUB_PART) = 0 AND MAX(COLLATION <=> 'D') = 0,
                   NULLIF(LOWER(MIN(INDEX_TYPE)), 'btree')
            FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = ?
            GROUP BY TABLE_NAME, INDEX_NAME
            ORDER BY TABLE_NAME, INDEX_NAME""";
    /** Tandem's own triggers are named {@code _tandem_…}, or {@code -_tandem_…} where one must fire first. */
    private static final String TRIGGERS = """
            SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME FROM information_schema.TRIGGERS
            WHERE EVENT_OBJECT_SCHEMA = ? AND TRIGGER_NAME NOT LIKE '!_tandem!_%' ESCAPE '!'
              AND TRIGGER_NAME NOT LIKE '-!_tandem!_%' ESCAPE '!'
            ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER""";
    private static final String FOREIGN_USERS = """
            SELECT REFERENCED_TABLE_NAME, CONCAT(CONSTRAINT_SCHEMA, '.', TABLE_NAME, '.', CONSTRAINT_NAME)
            FROM information_schema.REFERENTIAL_CONSTRAINTS
            WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND CONSTRAINT_SCHEMA <> UNIQUE_CONSTRAINT_SCHEMA
            ORDER BY 1, 2""";

    /**
     * Views and system-versioned tables, which the new version's database shows as they are (it would lack them
     * otherwise). A system-versioned table is not read as a table: a copy's swap would lose its history, and MariaDB
     * refuses its ALTER TABLE unless the session sets system_versioning_alter_history.
     */
    private static final String OTHERS = """
            SELECT TABLE_NAME, TABLE_TYPE = 'SYSTEM VERSIONED' FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('VIEW', 'SYSTEM VERSIONED')
            ORDER BY TABLE_NAME""";

    private final Connection connection;
    private final String schema;

    MariaDbCatalog(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    CatalogSnapshot read() throws SQLException {
        CatalogReader catalog = new CatalogReader(connection, schema);
        catalog.query(COLUMNS, row -> catalog.column(row.getString(1), new CatalogSnapshot.Column(row.getString(2),
                row.getString(3), row.getBoolean(4), defaultValue(row.getString(5)), row.getBoolean(6), row.getBoolean(7),
                row.getBoolean(8))));
        catalog.query(CONSTRAINTS, row -> {
            String table = row.getString(1);
            ConstraintKind kind = kind(row.getString(3));
            List<CatalogSnapshot.Column> tableColumns = catalog.columns(table);
            if (kind == ConstraintKind.CHECK && isJsonCheck(tableColumns, row.getString(5), row.getString(8))) {
                return;
            }
            List<String> keyColumns = kind == ConstraintKind.CHECK ? checkedColumns(tableColumns, row.getString(5))
                    : lines(row.getString(4));
            catalog.constraint(table, new CatalogSnapshot.Constraint(row.getString(2), kind, keyColumns,
                    kind == ConstraintKind.FOREIGN_KEY ? row.getString(7) : row.getString(5), row.getString(6)));
        });
        catalog.query(INDEXES, row -> catalog.index(new CatalogSnapshot.Index(row.getString(1), row.getString(2),
                lines(row.getString(3)), row.getBoolean(4), row.getBoolean(5), row.getBoolean(6), row.getString(7))));
        catalog.query(TRIGGERS, row -> catalog.trigger(row.getString(1), row.getString(2)));
        catalog.query(FOREIGN_USERS, row -> catalog.foreignUser(row.getString(1), row.getString(2)));
        catalog.query(OTHERS, row -> {
            catalog.other(row.getString(1));
            if (row.getBoolean(2)) {
                catalog.unsupported(row.getString(1), "it is system-versioned (WITH SYSTEM VERSIONING), which Tandem"
                        + " does not support yet: a copy would lose its history, and MariaDB refuses its ALTER TABLE"
                        + " without system_versioning_alter_history; change it by hand, or drop the versioning first");
            }
        });
        return catalog.snapshot();
    }

    /**
     * MariaDB's JSON type is LONGTEXT with a column-level check {@code json_valid(`column`)}, named after the
     * column when it was created. Such a column is recorded as {@code json} (replacing it in
     * {@code tableColumns}) and its check left out: it is part of the type, and goes with the column.
     */
    private static boolean isJsonCheck(List<CatalogSnapshot.Column> tableColumns, String clause, String level) {
        if (!"Column".equals(level)) {
            return false;
        }
        for (int i = 0; i < tableColumns.size(); i++) {
            CatalogSnapshot.Column c = tableColumns.get(i);
            if (("json_valid(" + MariaDbDialect.ident(c.name()) + ")").equals(clause) && c.type().equals("longtext")) {
                tableColumns.set(i, new CatalogSnapshot.Column(c.name(), "json", c.nullable(), c.defaultValue(),
                        c.generated(), c.autoIncrement(), c.onUpdate()));
                return true;
            }
        }
        return false;
    }

    /** The table's columns a check's clause names (MariaDB reports them in backticks). */
    private static List<String> checkedColumns(List<CatalogSnapshot.Column> tableColumns, String clause) {
        return tableColumns.stream().map(CatalogSnapshot.Column::name)
                .filter(c -> clause != null && clause.contains(MariaDbDialect.ident(c))).toList();
    }

    /** MariaDB reports "no default" of a nullable column as the text NULL. */
    private static String defaultValue(String reported) {
        return reported == null || reported.equals("NULL") ? null : reported;
    }

    private static ConstraintKind kind(String type) {
        return switch (type) {
            case "PRIMARY KEY" -> ConstraintKind.PRIMARY_KEY;
            case "UNIQUE" -> ConstraintKind.UNIQUE;
            case "FOREIGN KEY" -> ConstraintKind.FOREIGN_KEY;
            default -> ConstraintKind.CHECK;
        };
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : List.of(text.split("\n"));
    }
}
