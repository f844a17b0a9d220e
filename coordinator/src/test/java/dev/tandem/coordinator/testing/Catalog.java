package dev.tandem.coordinator.testing;

import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresCatalogDump;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The catalog of a test database as lines to compare, on either server. */
public final class Catalog {
    private Catalog() {
    }

    /** See {@link PostgresCatalogDump}, with the default state schema. */
    public static List<String> dump(TestDatabase db) {
        try (Connection c = db.connect()) {
            return PostgresCatalogDump.dump(c, "tandem");
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * The catalog of a MariaDB test database and its version databases as sorted lines, read from
     * information_schema: tables, columns, indexes, constraints, triggers, views and routines. Equal dumps mean
     * nothing was left behind.
     */
    public static List<String> dump(MariaDbTestDatabase db) {
        String schemas = "IN (SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + db.name()
                + "' OR SCHEMA_NAME LIKE '" + db.name() + "\\_\\_%')";
        List<String> lines = new ArrayList<>();
        for (String query : List.of(
                "SELECT CONCAT_WS(' ', 'database', SCHEMA_NAME) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME "
                        + schemas,
                "SELECT CONCAT_WS(' ', 'table', TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_COMMENT)"
                        + " FROM information_schema.TABLES WHERE TABLE_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'column', TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE,"
                        + " IS_NULLABLE, IFNULL(COLUMN_DEFAULT, '-'), EXTRA, COLUMN_COMMENT)"
                        + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'index', TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX,"
                        + " COLUMN_NAME, INDEX_TYPE) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'constraint', CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE)"
                        + " FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'check', CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE)"
                        + " FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'reference', CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME,"
                        + " REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE)"
                        + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'trigger', TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING,"
                        + " EVENT_MANIPULATION, ACTION_STATEMENT) FROM information_schema.TRIGGERS"
                        + " WHERE TRIGGER_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'view', TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, SECURITY_TYPE)"
                        + " FROM information_schema.VIEWS WHERE TABLE_SCHEMA " + schemas,
                "SELECT CONCAT_WS(' ', 'routine', ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION,"
                        + " ROUTINE_COMMENT) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA " + schemas)) {
            lines.addAll(db.rows(query));
        }
        lines.sort(String::compareTo);
        return lines;
    }
}
