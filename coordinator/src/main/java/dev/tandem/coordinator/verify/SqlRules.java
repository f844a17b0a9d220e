package dev.tandem.coordinator.verify;

import dev.tandem.coordinator.internal.sql.SqlStatement;
import dev.tandem.coordinator.migration.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules for raw SQL, read from each statement's tokens: those every database shares here, and hooks for each
 * database's own ({@link PostgresSqlRules}, {@link MariaDbSqlRules}). A table created earlier in the same migration
 * is empty and unknown to the old version, so the lock rules leave it alone.
 */
abstract sealed class SqlRules permits PostgresSqlRules, MariaDbSqlRules {
    /** Where the statements run: a Tandem sql operation of one phase, or a plain script run as it is. */
    enum Placement { EXPAND, CONTRACT, SCRIPT }

    private static final Set<String> STRONG_LOCK_STARTS = Set.of("ALTER", "DROP", "CREATE", "TRUNCATE", "LOCK",
            "REINDEX", "CLUSTER", "VACUUM", "RENAME", "OPTIMIZE");

    final Placement placement;
    final Set<String> createdTables;
    private final String file;
    private final String operation;
    private final List<Finding> findings = new ArrayList<>();
    private boolean lockTimeoutSet;
    private boolean inTransaction;

    SqlRules(Placement placement, Set<String> createdTables, String file, String operation) {
        this.placement = placement;
        this.createdTables = createdTables;
        this.file = file;
        this.operation = operation;
    }

    static SqlRules of(Database database, Placement placement, Set<String> createdTables, String file,
                       String operation) {
        return database == Database.MARIADB ? new MariaDbSqlRules(placement, createdTables, file, operation)
                : new PostgresSqlRules(placement, createdTables, file, operation);
    }

    final List<Finding> check(List<SqlStatement> statements) {
        for (SqlStatement statement : statements) {
            check(statement);
        }
        return findings;
    }

    private void check(SqlStatement s) {
        beforeStatement(s);
        if (s.startsWith("BEGIN") || s.startsWith("START", "TRANSACTION")) {
            inTransaction = true;
        } else if (s.startsWith("COMMIT") || s.startsWith("END") || s.startsWith("ROLLBACK")) {
            inTransaction = false;
        } else if (s.startsWith("SET") || s.startsWith("RESET")) {
            setting(s);
        } else if (s.startsWith("CREATE", "TABLE") || s.startsWith("CREATE", "UNLOGGED", "TABLE")) {
            createTable(s);
        } else if (isCreateIndex(s)) {
            createIndex(s);
        } else if (s.startsWith("ALTER", "TABLE")) {
            alterTable(s);
        } else if (s.startsWith("DROP")) {
            drop(s);
        } else if (s.startsWith("TRUNCATE")) {
            destructiveInExpand(s, "TRUNCATE");
        } else if (s.startsWith("LOCK")) {
            requireLockTimeout(s);
            add(Rule.EXPLICIT_LOCK, s, null);
        } else if ((s.startsWith("UPDATE") || s.startsWith("DELETE")) && !s.contains("WHERE")) {
            add(Rule.UNBATCHED_UPDATE, s, null);
        } else {
            otherStatement(s);
        }
    }

    /** Runs before any statement is read for its kind. */
    void beforeStatement(SqlStatement s) {
    }

    /** A {@code SET} or {@code RESET}. */
    abstract void setting(SqlStatement s);

    abstract boolean isCreateIndex(SqlStatement s);

    abstract void createIndex(SqlStatement s);

    /** {@code action} is one comma-separated part of {@code ALTER TABLE s}, on an existing table. */
    abstract void alterAction(SqlStatement s, SqlStatement action, String table);

    /** {@code ALTER TABLE s} on an existing table, after each of its actions. */
    void afterAlterTable(SqlStatement s, List<SqlStatement> actions, String table) {
    }

    abstract void dropIndex(SqlStatement s);

    /** A statement none of the shared kinds covers. */
    void otherStatement(SqlStatement s) {
    }

    /** The type rules for a new column whose type starts at {@code type}. */
    abstract void columnType(SqlStatement s, SqlStatement column, int type, String where);

    /** A strong lock is about to be taken: plain scripts must have set a lock timeout first (once per script). */
    final void requireLockTimeout(SqlStatement s) {
        if (placement == Placement.SCRIPT && !lockTimeoutSet && takesStrongLock(s)) {
            add(lockTimeoutRule(), s, null);
            lockTimeoutSet = true;
        }
    }

    abstract Rule lockTimeoutRule();

    static boolean takesStrongLock(SqlStatement s) {
        return STRONG_LOCK_STARTS.contains(s.word(0));
    }

    /** A statement set the lock timeout ({@code on}) or turned it off. */
    final void lockTimeout(SqlStatement s, boolean on) {
        lockTimeoutSet = on;
        if (!on && placement != Placement.SCRIPT) {
            add(lockTimeoutRule(), s, "this turns off the lock timeout Tandem sets for the phase");
        }
    }

    /** Plain scripts only: a statement outside a transaction that a second run would trip over. */
    final void requireRerunnable(SqlStatement s, boolean rerunnable) {
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
            if (!isTableClause(column)) {
                columnType(s, column, 1, "column '" + column.nameAt(0) + "' of '" + table + "'");
            }
        }
    }

    /** A part of {@code CREATE TABLE (...)} that is no column: a constraint, a key, an index. */
    abstract boolean isTableClause(SqlStatement part);

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
        if (fresh) {
            return;
        }
        for (SqlStatement action : parts) {
            if (action.startsWith("DROP") && !action.at(1, "CONSTRAINT") && !isDropOfIndexOrKey(action)) {
                if (placement != Placement.CONTRACT) {
                    int column = action.skip(1, "COLUMN", "IF", "EXISTS");
                    add(Rule.DROP_IN_EXPAND, s, "column '" + action.nameAt(column) + "' of '" + table + "' dropped");
                }
            } else if (action.startsWith("DROP")) {
                destructiveInExpand(s, "DROP " + action.word(1));
            } else if (action.startsWith("RENAME") && !action.at(1, "CONSTRAINT") && !action.at(1, "INDEX")
                    && !action.at(1, "KEY") && placement != Placement.CONTRACT) {
                add(Rule.RENAME_IN_EXPAND, s, action.at(1, "TO") || action.at(1, "AS")
                        ? "table '" + table + "' renamed"
                        : "column '" + action.nameAt(action.skip(1, "COLUMN")) + "' of '" + table + "' renamed");
            } else {
                alterAction(s, action, table);
            }
        }
        afterAlterTable(s, parts, table);
    }

    /** {@code DROP INDEX}, {@code DROP KEY}, {@code DROP PRIMARY KEY}, {@code DROP FOREIGN KEY} and the like. */
    private static boolean isDropOfIndexOrKey(SqlStatement action) {
        return action.at(1, "INDEX") || action.at(1, "KEY") || action.at(1, "PRIMARY") || action.at(1, "FOREIGN")
                || action.at(1, "CHECK");
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

    private void drop(SqlStatement s) {
        requireRerunnable(s, s.contains("IF", "EXISTS"));
        if (s.startsWith("DROP", "INDEX")) {
            dropIndex(s);
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

    final void destructiveInExpand(SqlStatement s, String what) {
        requireLockTimeout(s);
        if (placement == Placement.EXPAND) {
            add(Rule.CONTRACT_STEP_IN_EXPAND, s, what + " in expand");
        }
    }

    /** {@code word} of the type at {@code type}, lower case, for a finding's detail. */
    static String typeName(SqlStatement column, int type) {
        return column.word(type).toLowerCase(Locale.ROOT);
    }

    final void add(Rule rule, SqlStatement s, String detail) {
        findings.add(Finding.of(rule, file, s.line(), operation, detail));
    }
}
