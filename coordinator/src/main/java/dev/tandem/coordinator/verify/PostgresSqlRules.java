package dev.tandem.coordinator.verify;

import dev.tandem.coordinator.internal.sql.SqlLexer;
import dev.tandem.coordinator.internal.sql.SqlStatement;
import java.util.List;
import java.util.Set;

/** PostgreSQL's rules: locks by lock mode, {@code CONCURRENTLY}, {@code NOT VALID}, rewrites, timeouts. */
final class PostgresSqlRules extends SqlRules {
    private static final Set<String> VOLATILE_FUNCTIONS = Set.of("RANDOM", "GEN_RANDOM_UUID", "UUID_GENERATE_V1",
            "UUID_GENERATE_V1MC", "UUID_GENERATE_V4", "CLOCK_TIMESTAMP", "TIMEOFDAY", "NEXTVAL", "SETSEED");
    private static final Set<String> SERIAL_TYPES = Set.of("SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL2",
            "SERIAL4", "SERIAL8");
    private static final List<String> COLUMN_CLAUSES = List.of("NOT", "NULL", "CHECK", "REFERENCES", "CONSTRAINT",
            "PRIMARY", "UNIQUE", "GENERATED", "COLLATE", "DEFAULT");
    private static final Set<String> SMALL_INTEGERS = Set.of("INT", "INTEGER", "INT4", "SMALLINT", "INT2");
    private static final Set<String> TABLE_CLAUSES = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
            "EXCLUDE", "LIKE");

    private boolean statementTimeoutSet;

    PostgresSqlRules(Placement placement, Set<String> createdTables, String file, String operation) {
        super(placement, createdTables, file, operation);
    }

    @Override
    Rule lockTimeoutRule() {
        return Rule.LOCK_TIMEOUT;
    }

    /** Inside a sql operation the engine's lock_timeout holds unless the SQL turns it off. */
    @Override
    void setting(SqlStatement s) {
        int name = s.skip(1, "SESSION", "LOCAL");
        if (s.word(name).equals("STATEMENT_TIMEOUT")) {
            statementTimeoutSet = true;
        }
        if (s.word(name).equals("LOCK_TIMEOUT")) {
            lockTimeout(s, !(s.startsWith("RESET") || s.word(name + 2).equals("0")
                    || s.word(name + 2).equals("'0'") || s.word(name + 2).equals("DEFAULT")));
        }
    }

    /**
     * Once per script or sql operation: any DDL or maintenance statement may scan or build for long, holding its
     * lock meanwhile. The engine sets a lock_timeout for a phase but no statement_timeout. In a sql operation,
     * statements that only create something new (a function, a view, a table and its indexes) are left alone.
     */
    @Override
    void beforeStatement(SqlStatement s) {
        if (!statementTimeoutSet && takesStrongLock(s) && !onlyCatalog(s)
                && (placement == Placement.SCRIPT || touchesExistingTable(s))) {
            add(Rule.STATEMENT_TIMEOUT, s, placement == Placement.SCRIPT ? null
                    : "the phase's transaction has no statement_timeout unless the sql operation sets one");
            statementTimeoutSet = true;
        }
    }

    /** ADD CONSTRAINT ... NOT VALID checks no existing row: it changes only the catalog, it cannot run long. */
    private static boolean onlyCatalog(SqlStatement s) {
        return s.startsWith("ALTER", "TABLE") && s.contains("ADD", "CONSTRAINT") && s.contains("NOT", "VALID")
                && !s.contains("VALIDATE") && s.find(0, ",") < 0;
    }

    private boolean touchesExistingTable(SqlStatement s) {
        if (isCreateIndex(s)) {
            int on = s.find(0, "ON");
            return on >= 0 && !createdTables.contains(s.nameAt(s.skip(on + 1, "ONLY")));
        }
        if (s.startsWith("ALTER", "TABLE")) {
            return !createdTables.contains(s.nameAt(s.skip(2, "IF", "EXISTS", "ONLY")));
        }
        if (s.startsWith("DROP", "TABLE")) {
            return !createdTables.contains(s.nameAt(s.skip(2, "IF", "EXISTS")));
        }
        return !s.startsWith("CREATE") && !s.startsWith("DROP", "FUNCTION") && !s.startsWith("DROP", "VIEW");
    }

    @Override
    boolean isTableClause(SqlStatement part) {
        return TABLE_CLAUSES.contains(part.word(0));
    }

    @Override
    void columnType(SqlStatement s, SqlStatement column, int type, String where) {
        if (SMALL_INTEGERS.contains(column.word(type))) {
            add(Rule.PREFER_BIGINT, s, where + " is " + typeName(column, type));
        } else if (SERIAL_TYPES.contains(column.word(type))) {
            add(Rule.PREFER_IDENTITY, s, where + " is " + typeName(column, type));
        }
    }

    @Override
    boolean isCreateIndex(SqlStatement s) {
        return s.startsWith("CREATE", "INDEX") || s.startsWith("CREATE", "UNIQUE", "INDEX");
    }

    @Override
    void createIndex(SqlStatement s) {
        int on = s.find(0, "ON");
        String table = on < 0 ? null : s.nameAt(s.skip(on + 1, "ONLY"));
        boolean concurrently = s.contains("CONCURRENTLY");
        requireRerunnable(s, s.contains("IF", "NOT", "EXISTS"));
        if (concurrently && placement != Placement.SCRIPT) {
            add(Rule.NOT_IN_TRANSACTION, s, "CREATE INDEX CONCURRENTLY in a sql operation");
        } else if (!concurrently && !createdTables.contains(table)) {
            requireLockTimeout(s);
            add(Rule.INDEX_NOT_CONCURRENT, s, "index on '" + table + "'");
        }
    }

    @Override
    void alterAction(SqlStatement s, SqlStatement a, String table) {
        if (a.startsWith("ADD")) {
            addToTable(s, a, table);
        } else if (a.startsWith("ALTER")) {
            int column = a.skip(1, "COLUMN");
            int after = a.afterName(column);
            if (a.at(after, "SET", "NOT", "NULL")) {
                add(Rule.SET_NOT_NULL, s, "column '" + a.nameAt(column) + "' of '" + table + "'");
            } else if (a.at(after, "TYPE") || a.at(after, "SET", "DATA", "TYPE")) {
                add(Rule.COLUMN_TYPE_IN_PLACE, s, "column '" + a.nameAt(column) + "' of '" + table + "'");
            }
        } else if (a.startsWith("SET", "TABLESPACE") || a.startsWith("SET", "LOGGED")
                || a.startsWith("SET", "UNLOGGED") || a.startsWith("SET", "WITHOUT", "OIDS")) {
            add(Rule.TABLE_REWRITE, s, a.word(0) + " " + a.word(1) + " on '" + table + "'");
        }
    }

    private void addToTable(SqlStatement s, SqlStatement a, String table) {
        int at = a.skip(1, "CONSTRAINT");
        if (at > 1) {
            at++; // the constraint's name
        }
        if (a.at(at, "CHECK")) {
            if (!a.contains("NOT", "VALID")) {
                add(Rule.CONSTRAINT_VALIDATED, s, "check on '" + table + "'");
            }
        } else if (a.at(at, "FOREIGN", "KEY")) {
            if (!a.contains("NOT", "VALID")) {
                add(Rule.FOREIGN_KEY_VALIDATED, s, "foreign key on '" + table + "'");
            }
        } else if (a.at(at, "PRIMARY", "KEY") || a.at(at, "UNIQUE")) {
            if (!a.contains("USING", "INDEX")) {
                add(Rule.UNIQUE_WITHOUT_INDEX, s, a.word(at) + " on '" + table + "'");
            }
        } else if (!a.at(at, "EXCLUDE")) {
            addColumn(s, a, table);
        }
    }

    private void addColumn(SqlStatement s, SqlStatement a, String table) {
        int name = a.skip(1, "COLUMN", "IF", "NOT", "EXISTS");
        String column = a.nameAt(name);
        String where = "column '" + column + "' of '" + table + "'";
        int type = name + 1;
        int fallback = a.find(type, "DEFAULT");
        columnType(s, a, type, where);
        if (SERIAL_TYPES.contains(a.word(type))) {
            add(Rule.VOLATILE_DEFAULT, s, where + " is " + typeName(a, type));
        } else if (a.contains("GENERATED", "ALWAYS", "AS") && a.contains("STORED")) {
            add(Rule.VOLATILE_DEFAULT, s, where + " is a stored generated column");
        } else if (fallback >= 0 && isVolatile(a.until(fallback + 1, COLUMN_CLAUSES))) {
            add(Rule.VOLATILE_DEFAULT, s, where);
        }
        if (a.contains("REFERENCES")) {
            add(Rule.FOREIGN_KEY_VALIDATED, s, where + " references another table");
        }
        if (a.contains("PRIMARY", "KEY") || a.contains("UNIQUE")) {
            add(Rule.UNIQUE_WITHOUT_INDEX, s, where);
        }
        if (a.contains("NOT", "NULL") && fallback < 0) {
            add(Rule.REQUIRED_COLUMN, s, where);
        }
    }

    private static boolean isVolatile(List<SqlLexer.Token> expression) {
        for (int i = 0; i + 1 < expression.size(); i++) {
            if (VOLATILE_FUNCTIONS.contains(expression.get(i).word()) && expression.get(i + 1).word().equals("(")) {
                return true;
            }
        }
        return false;
    }

    @Override
    void dropIndex(SqlStatement s) {
        boolean concurrently = s.at(2, "CONCURRENTLY");
        if (concurrently && placement != Placement.SCRIPT) {
            add(Rule.NOT_IN_TRANSACTION, s, "DROP INDEX CONCURRENTLY in a sql operation");
        } else if (placement == Placement.EXPAND) {
            destructiveInExpand(s, "DROP INDEX");
        } else if (!concurrently) {
            requireLockTimeout(s);
            add(Rule.DROP_INDEX_NOT_CONCURRENT, s, null);
        }
    }

    @Override
    void otherStatement(SqlStatement s) {
        if (!s.startsWith("VACUUM") && !s.startsWith("CLUSTER") && !s.startsWith("REINDEX")) {
            return;
        }
        boolean rewrite = s.startsWith("CLUSTER") || s.startsWith("VACUUM") && s.contains("FULL")
                || s.startsWith("REINDEX") && !s.contains("CONCURRENTLY");
        if (rewrite) {
            requireLockTimeout(s);
            add(Rule.TABLE_REWRITE, s, s.word(0));
        } else if (placement != Placement.SCRIPT) {
            add(Rule.NOT_IN_TRANSACTION, s, s.word(0) + " in a sql operation");
        }
    }
}
