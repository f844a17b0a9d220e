package dev.tandem.coordinator.verify;

import dev.tandem.coordinator.internal.sql.SqlLexer;
import dev.tandem.coordinator.internal.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The PostgreSQL rules for raw SQL, read from each statement's tokens. A table created earlier in the same
 * migration is empty and unknown to the old version, so the lock rules leave it alone.
 */
final class SqlRules {
    /** Where the statements run: a Tandem sql operation of one phase, or a plain script run as it is. */
    enum Placement { EXPAND, CONTRACT, SCRIPT }

    private static final Set<String> VOLATILE_FUNCTIONS = Set.of("RANDOM", "GEN_RANDOM_UUID", "UUID_GENERATE_V1",
            "UUID_GENERATE_V1MC", "UUID_GENERATE_V4", "CLOCK_TIMESTAMP", "TIMEOFDAY", "NEXTVAL", "SETSEED");
    private static final Set<String> SERIAL_TYPES = Set.of("SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL2",
            "SERIAL4", "SERIAL8");
    private static final List<String> COLUMN_CLAUSES = List.of("NOT", "NULL", "CHECK", "REFERENCES", "CONSTRAINT",
            "PRIMARY", "UNIQUE", "GENERATED", "COLLATE", "DEFAULT");
    private static final Set<String> SMALL_INTEGERS = Set.of("INT", "INTEGER", "INT4", "SMALLINT", "INT2");
    private static final Set<String> TABLE_CLAUSES = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
            "EXCLUDE", "LIKE");
    private static final Set<String> STRONG_LOCK_STARTS = Set.of("ALTER", "DROP", "CREATE", "TRUNCATE", "LOCK",
            "REINDEX", "CLUSTER", "VACUUM");

    private final Placement placement;
    private final Set<String> createdTables;
    private final String file;
    private final String operation;
    private final List<Finding> findings = new ArrayList<>();
    private boolean lockTimeoutSet;
    private boolean statementTimeoutSet;
    private boolean inTransaction;

    SqlRules(Placement placement, Set<String> createdTables, String file, String operation) {
        this.placement = placement;
        this.createdTables = createdTables;
        this.file = file;
        this.operation = operation;
    }

    List<Finding> check(List<SqlStatement> statements) {
        for (SqlStatement statement : statements) {
            check(statement);
        }
        return findings;
    }

    private void check(SqlStatement s) {
        requireStatementTimeout(s);
        if (s.startsWith("BEGIN") || s.startsWith("START", "TRANSACTION")) {
            inTransaction = true;
        } else if (s.startsWith("COMMIT") || s.startsWith("END") || s.startsWith("ROLLBACK")) {
            inTransaction = false;
        } else if (s.startsWith("SET") || s.startsWith("RESET")) {
            lockTimeout(s);
        } else if (s.startsWith("CREATE", "TABLE") || s.startsWith("CREATE", "UNLOGGED", "TABLE")) {
            createTable(s);
        } else if (s.startsWith("CREATE", "INDEX") || s.startsWith("CREATE", "UNIQUE", "INDEX")) {
            createIndex(s);
        } else if (s.startsWith("ALTER", "TABLE")) {
            alterTable(s);
        } else if (s.startsWith("DROP")) {
            drop(s);
        } else if (s.startsWith("TRUNCATE")) {
            destructiveInExpand(s, "TRUNCATE");
        } else if (s.startsWith("VACUUM") || s.startsWith("CLUSTER") || s.startsWith("REINDEX")) {
            maintenance(s);
        } else if (s.startsWith("LOCK")) {
            requireLockTimeout(s);
            add(Rule.EXPLICIT_LOCK, s, null);
        } else if ((s.startsWith("UPDATE") || s.startsWith("DELETE")) && !s.contains("WHERE")) {
            add(Rule.UNBATCHED_UPDATE, s, null);
        }
    }

    /** Inside a sql operation the engine's lock_timeout holds unless the SQL turns it off. */
    private void lockTimeout(SqlStatement s) {
        int name = s.skip(1, "SESSION", "LOCAL");
        if (s.word(name).equals("STATEMENT_TIMEOUT")) {
            statementTimeoutSet = true;
        }
        if (!s.word(name).equals("LOCK_TIMEOUT")) {
            return;
        }
        boolean off = s.startsWith("RESET") || s.word(name + 2).equals("0") || s.word(name + 2).equals("'0'")
                || s.word(name + 2).equals("DEFAULT");
        lockTimeoutSet = !off;
        if (off && placement != Placement.SCRIPT) {
            add(Rule.LOCK_TIMEOUT, s, "this turns off the lock_timeout Tandem sets for the phase");
        }
    }

    /** Plain scripts only, once per script: a sql operation runs under the engine's lock_timeout. */
    private void requireLockTimeout(SqlStatement s) {
        if (placement == Placement.SCRIPT && !lockTimeoutSet && STRONG_LOCK_STARTS.contains(s.word(0))) {
            add(Rule.LOCK_TIMEOUT, s, null);
            lockTimeoutSet = true;
        }
    }

    /**
     * Once per script or sql operation: any DDL or maintenance statement may scan or build for long, holding its
     * lock meanwhile. The engine sets a lock_timeout for a phase but no statement_timeout. In a sql operation,
     * statements that only create something new (a function, a view, a table and its indexes) are left alone.
     */
    private void requireStatementTimeout(SqlStatement s) {
        if (!statementTimeoutSet && STRONG_LOCK_STARTS.contains(s.word(0)) && !onlyCatalog(s)
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
        if (s.startsWith("CREATE", "INDEX") || s.startsWith("CREATE", "UNIQUE", "INDEX")) {
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

    /** Plain scripts only: a statement outside a transaction that a second run would trip over. */
    private void requireRerunnable(SqlStatement s, boolean rerunnable) {
        if (placement == Placement.SCRIPT && !inTransaction && !rerunnable) {
            add(Rule.NOT_RERUNNABLE, s, null);
        }
    }

    private void createTable(SqlStatement s) {
        int name = s.skip(s.find(0, "TABLE") + 1, "IF", "NOT", "EXISTS");
        String table = s.nameAt(name);
        createdTables.add(table);
        requireRerunnable(s, s.contains("IF", "NOT", "EXISTS"));
        int open = s.afterName(name);
        if (!s.word(open).equals("(")) {
            return;
        }
        for (SqlStatement column : s.inside(open).splitAtCommas(0)) {
            if (!TABLE_CLAUSES.contains(column.word(0))) {
                columnType(s, column, 1, "column '" + column.nameAt(0) + "' of '" + table + "'");
            }
        }
    }

    /** The type rules for a new column whose type starts at {@code type}. */
    private void columnType(SqlStatement s, SqlStatement column, int type, String where) {
        if (SMALL_INTEGERS.contains(column.word(type))) {
            add(Rule.PREFER_BIGINT, s, where + " is " + column.word(type).toLowerCase(Locale.ROOT));
        } else if (SERIAL_TYPES.contains(column.word(type))) {
            add(Rule.PREFER_IDENTITY, s, where + " is " + column.word(type).toLowerCase(Locale.ROOT));
        }
    }

    private void createIndex(SqlStatement s) {
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

    private void alterTable(SqlStatement s) {
        int name = s.skip(2, "IF", "EXISTS", "ONLY");
        String table = s.nameAt(name);
        int actions = s.afterName(name);
        if (s.word(actions).equals("*")) {
            actions++;
        }
        boolean fresh = createdTables.contains(table);
        if (!fresh) {
            requireLockTimeout(s);
        }
        List<SqlStatement> parts = s.splitAtCommas(actions);
        requireRerunnable(s, parts.stream().allMatch(SqlRules::rerunnable));
        for (SqlStatement action : parts) {
            alterAction(s, action, table, fresh);
        }
        if (s.at(actions, "RENAME", "TO") && placement != Placement.CONTRACT && !fresh) {
            add(Rule.RENAME_IN_EXPAND, s, "table '" + table + "' renamed");
        }
    }

    /** A second run fails on ADD without IF NOT EXISTS, DROP without IF EXISTS and RENAME; the rest repeat fine. */
    private static boolean rerunnable(SqlStatement action) {
        if (action.startsWith("ADD")) {
            return action.contains("IF", "NOT", "EXISTS");
        }
        if (action.startsWith("DROP")) {
            return action.contains("IF", "EXISTS");
        }
        return !action.startsWith("RENAME");
    }

    private void alterAction(SqlStatement s, SqlStatement a, String table, boolean fresh) {
        if (a.startsWith("ADD")) {
            addToTable(s, a, table, fresh);
        } else if (a.startsWith("ALTER")) {
            int column = a.skip(1, "COLUMN");
            int after = a.afterName(column);
            if (a.at(after, "SET", "NOT", "NULL") && !fresh) {
                add(Rule.SET_NOT_NULL, s, "column '" + a.nameAt(column) + "' of '" + table + "'");
            } else if ((a.at(after, "TYPE") || a.at(after, "SET", "DATA", "TYPE")) && !fresh) {
                add(Rule.COLUMN_TYPE_IN_PLACE, s, "column '" + a.nameAt(column) + "' of '" + table + "'");
            }
        } else if (a.startsWith("DROP") && !fresh) {
            if (a.at(1, "CONSTRAINT")) {
                destructiveInExpand(s, "DROP CONSTRAINT");
            } else if (placement != Placement.CONTRACT) {
                int column = a.skip(1, "COLUMN", "IF", "EXISTS");
                add(Rule.DROP_IN_EXPAND, s, "column '" + a.nameAt(column) + "' of '" + table + "' dropped");
            }
        } else if (a.startsWith("RENAME") && !a.at(1, "TO") && !a.at(1, "CONSTRAINT")
                && placement != Placement.CONTRACT && !fresh) {
            add(Rule.RENAME_IN_EXPAND, s, "column '" + a.nameAt(a.skip(1, "COLUMN")) + "' of '" + table + "' renamed");
        } else if ((a.startsWith("SET", "TABLESPACE") || a.startsWith("SET", "LOGGED")
                || a.startsWith("SET", "UNLOGGED") || a.startsWith("SET", "WITHOUT", "OIDS")) && !fresh) {
            add(Rule.TABLE_REWRITE, s, a.word(0) + " " + a.word(1) + " on '" + table + "'");
        }
    }

    private void addToTable(SqlStatement s, SqlStatement a, String table, boolean fresh) {
        if (fresh) {
            return;
        }
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
            add(Rule.VOLATILE_DEFAULT, s, where + " is " + a.word(type).toLowerCase(Locale.ROOT));
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

    private void drop(SqlStatement s) {
        requireRerunnable(s, s.contains("IF", "EXISTS"));
        if (s.startsWith("DROP", "INDEX")) {
            boolean concurrently = s.at(2, "CONCURRENTLY");
            if (concurrently && placement != Placement.SCRIPT) {
                add(Rule.NOT_IN_TRANSACTION, s, "DROP INDEX CONCURRENTLY in a sql operation");
            } else if (placement == Placement.EXPAND) {
                destructiveInExpand(s, "DROP INDEX");
            } else if (!concurrently) {
                requireLockTimeout(s);
                add(Rule.DROP_INDEX_NOT_CONCURRENT, s, null);
            }
            return;
        }
        requireLockTimeout(s);
        if (s.startsWith("DROP", "TABLE")) {
            String table = s.nameAt(s.skip(2, "IF", "EXISTS"));
            if (placement != Placement.CONTRACT && !createdTables.contains(table)) {
                add(Rule.DROP_IN_EXPAND, s, "table '" + table + "' dropped");
            }
        } else {
            destructiveInExpand(s, "DROP " + s.word(1));
        }
    }

    private void destructiveInExpand(SqlStatement s, String what) {
        requireLockTimeout(s);
        if (placement == Placement.EXPAND) {
            add(Rule.CONTRACT_STEP_IN_EXPAND, s, what + " in expand");
        }
    }

    private void maintenance(SqlStatement s) {
        boolean rewrite = s.startsWith("CLUSTER") || s.startsWith("VACUUM") && s.contains("FULL")
                || s.startsWith("REINDEX") && !s.contains("CONCURRENTLY");
        if (rewrite) {
            requireLockTimeout(s);
            add(Rule.TABLE_REWRITE, s, s.word(0));
        } else if (placement != Placement.SCRIPT) {
            add(Rule.NOT_IN_TRANSACTION, s, s.word(0) + " in a sql operation");
        }
    }

    private void add(Rule rule, SqlStatement s, String detail) {
        findings.add(Finding.of(rule, file, s.line(), operation, detail));
    }
}
