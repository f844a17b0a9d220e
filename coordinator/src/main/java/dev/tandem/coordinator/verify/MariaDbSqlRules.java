package dev.tandem.coordinator.verify;

import dev.tandem.coordinator.internal.sql.SqlStatement;
import java.util.List;
import java.util.Set;

/**
 * MariaDB's rules: an {@code ALTER TABLE} that may copy the table under a lock, a column restated with
 * {@code MODIFY}/{@code CHANGE}, DDL without a short {@code lock_wait_timeout} (the server waits a day by default).
 */
final class MariaDbSqlRules extends SqlRules {
    private static final Set<String> SMALL_INTEGERS = Set.of("INT", "INTEGER", "MEDIUMINT", "SMALLINT", "INT3",
            "INT4", "INT2");
    private static final Set<String> TABLE_CLAUSES = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
            "KEY", "INDEX", "FULLTEXT", "SPATIAL", "PERIOD");
    /** The longest lock_wait_timeout, in seconds, that still counts as short. */
    private static final int SHORT_LOCK_WAIT = 60;

    MariaDbSqlRules(Placement placement, Set<String> createdTables, String file, String operation) {
        super(placement, createdTables, file, operation);
    }

    @Override
    Rule lockTimeoutRule() {
        return Rule.MARIADB_LOCK_WAIT_TIMEOUT;
    }

    /** {@code SET [SESSION] lock_wait_timeout = n}, possibly among other variables. */
    @Override
    void setting(SqlStatement s) {
        int name = s.find(0, "LOCK_WAIT_TIMEOUT");
        if (name < 0) {
            return;
        }
        String value = s.word(name + 2);
        lockTimeout(s, value.matches("\\d+") && Long.parseLong(value) <= SHORT_LOCK_WAIT);
    }

    @Override
    boolean isTableClause(SqlStatement part) {
        return TABLE_CLAUSES.contains(part.word(0));
    }

    @Override
    void columnType(SqlStatement s, SqlStatement column, int type, String where) {
        if (SMALL_INTEGERS.contains(column.word(type))) {
            add(Rule.PREFER_BIGINT, s, where + " is " + typeName(column, type));
        }
    }

    @Override
    boolean isCreateIndex(SqlStatement s) {
        int index = s.skip(1, "OR", "REPLACE", "UNIQUE", "FULLTEXT", "SPATIAL");
        return s.startsWith("CREATE") && s.at(index, "INDEX");
    }

    @Override
    void createIndex(SqlStatement s) {
        int on = s.find(0, "ON");
        String table = on < 0 ? null : s.nameAt(on + 1);
        requireRerunnable(s, s.contains("IF", "NOT", "EXISTS") || s.at(1, "OR", "REPLACE"));
        if (createdTables.contains(table)) {
            return;
        }
        requireLockTimeout(s);
        String blocking = blockingOptions(List.of(s));
        if (blocking != null) {
            add(Rule.MARIADB_TABLE_COPY, s, "index on '" + table + "' " + blocking);
        } else if ((s.contains("FULLTEXT") || s.contains("SPATIAL")) && !s.contains("LOCK", "=", "NONE")) {
            add(Rule.MARIADB_TABLE_COPY, s, "a " + (s.contains("FULLTEXT") ? "FULLTEXT" : "SPATIAL")
                    + " index on '" + table + "' blocks writes while it builds");
        }
    }

    @Override
    void alterAction(SqlStatement s, SqlStatement a, String table) {
        if (a.startsWith("ADD")) {
            int name = a.skip(1, "COLUMN", "IF", "NOT", "EXISTS");
            if (!TABLE_CLAUSES.contains(a.word(name)) && !a.word(name).equals("(")) {
                columnType(s, a, name + 1, "column '" + a.nameAt(name) + "' of '" + table + "'");
            }
        } else if (a.startsWith("MODIFY") || a.startsWith("CHANGE")) {
            int column = a.skip(1, "COLUMN", "IF", "EXISTS");
            String name = a.nameAt(column);
            if (a.startsWith("CHANGE") && !a.nameAt(a.afterName(column)).equalsIgnoreCase(name)
                    && placement != Placement.CONTRACT) {
                add(Rule.RENAME_IN_EXPAND, s, "column '" + name + "' of '" + table + "' renamed");
            }
            add(Rule.MARIADB_COLUMN_DEFINITION, s, "column '" + name + "' of '" + table + "'");
        }
    }

    /**
     * An {@code ALTER TABLE} that changes more than names and dropped columns must say it may not copy: without
     * {@code LOCK=NONE} (or {@code ALGORITHM=INSTANT}/{@code NOCOPY}) MariaDB copies the table where it cannot
     * change it in place, and writes wait for the whole copy.
     */
    @Override
    void afterAlterTable(SqlStatement s, List<SqlStatement> actions, String table) {
        String blocking = blockingOptions(actions);
        if (blocking != null) {
            add(Rule.MARIADB_TABLE_COPY, s, "'" + table + "' " + blocking);
            return;
        }
        boolean changesMore = actions.stream().anyMatch(a -> !a.startsWith("DROP") && !a.startsWith("RENAME")
                && !a.startsWith("ALGORITHM") && !a.startsWith("LOCK") && !a.startsWith("WAIT")
                && !a.startsWith("NOWAIT"));
        boolean neverCopies = actions.stream().anyMatch(a -> a.startsWith("LOCK", "=", "NONE")
                || a.startsWith("ALGORITHM", "=", "INSTANT") || a.startsWith("ALGORITHM", "=", "NOCOPY"));
        if (changesMore && !neverCopies) {
            add(Rule.MARIADB_TABLE_COPY, s, "'" + table + "' may be copied");
        }
    }

    /** What the options among {@code parts} ask for that blocks writes, or null. */
    private static String blockingOptions(List<SqlStatement> parts) {
        for (SqlStatement part : parts) {
            int algorithm = part.find(0, "ALGORITHM");
            if (algorithm >= 0 && part.at(algorithm + 2, "COPY")) {
                return "asks for ALGORITHM=COPY";
            }
            int lock = part.find(0, "LOCK");
            if (lock >= 0 && part.at(lock + 1, "=") && (part.at(lock + 2, "SHARED") || part.at(lock + 2, "EXCLUSIVE"))) {
                return "asks for LOCK=" + part.word(lock + 2);
            }
        }
        return null;
    }

    @Override
    void dropIndex(SqlStatement s) {
        if (placement == Placement.EXPAND) {
            destructiveInExpand(s, "DROP INDEX");
        } else {
            requireLockTimeout(s);
        }
    }

    /** {@code RENAME TABLE a TO b}: the old version's queries that name {@code a} break. */
    @Override
    void otherStatement(SqlStatement s) {
        if (!s.startsWith("RENAME", "TABLE")) {
            return;
        }
        requireLockTimeout(s);
        String table = s.nameAt(2);
        if (placement != Placement.CONTRACT && !createdTables.contains(table)) {
            add(Rule.RENAME_IN_EXPAND, s, "table '" + table + "' renamed");
        }
    }
}
