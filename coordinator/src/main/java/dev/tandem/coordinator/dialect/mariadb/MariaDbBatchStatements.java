package dev.tandem.coordinator.dialect.mariadb;

import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.expression;
import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.ident;
import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.names;
import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.table;
import static dev.tandem.coordinator.sql.Quoting.literal;

import dev.tandem.coordinator.UnsupportedDatabaseException;
import dev.tandem.coordinator.backfill.BatchStatements;
import dev.tandem.coordinator.ddl.TableRef;
import dev.tandem.coordinator.engine.BackfillTarget;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Backfill batches as key-range UPDATEs. A one-column key is compared as itself, so the range uses the
 * primary key index; a longer key as a row. Key values travel as text and MariaDB converts them to the
 * column's type in the comparison.
 */
final class MariaDbBatchStatements implements BatchStatements {
    /** ER_STATEMENT_TIMEOUT: max_statement_time exceeded. */
    private static final int STATEMENT_TIMEOUT = 1969;

    private final String isolationVariable;

    /** @param isolationVariable the server's name for it: tx_isolation or transaction_isolation */
    MariaDbBatchStatements(String isolationVariable) {
        this.isolationVariable = isolationVariable;
    }

    /**
     * A session variable (MariaDB has no transaction-local one); cleared when the next run starts. The same
     * statement prepares the session's sql_mode as {@link MariaDbDialect#forSession} does, for workers on
     * connections of their own, and reads committed rows: under REPEATABLE READ a batch's range UPDATE also
     * locks the gaps between its keys, and the last range's batches (no upper key) the gap to the end of the
     * table, so every INSERT of the application at the end of the table waited for each batch. A batch needs no
     * snapshot: it re-reads each row it locks and fills only those still NULL. Not with statement-based binary
     * logging, which refuses READ COMMITTED writes. The isolation variable is the server's own name for it.
     */
    @Override
    public String markTransaction() {
        return "SET " + MariaDbDialect.BACKFILL_VARIABLE + " = 1, SESSION sql_mode = CONCAT(@@sql_mode, "
                + "',NO_BACKSLASH_ESCAPES'), SESSION " + isolationVariable + " = IF(@@log_bin AND @@binlog_format ="
                + " 'STATEMENT', @@" + isolationVariable + ", 'READ-COMMITTED')";
    }

    @Override
    public String statementTimeout(long millis) {
        return "SET SESSION max_statement_time = " + millis / 1000.0;
    }

    @Override
    public boolean isStatementTimeout(SQLException e) {
        return e.getErrorCode() == STATEMENT_TIMEOUT;
    }

    @Override
    public String estimate(TableRef table) {
        return "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal(table.schema())
                + " AND TABLE_NAME = " + literal(table.name());
    }

    @Override
    public String count(TableRef table) {
        return "SELECT COUNT(*) FROM " + table(table);
    }

    @Override
    public String sampleKeys(TableRef table, List<BackfillTarget.KeyColumn> key) {
        return "SELECT " + columns(key) + " FROM " + table(table) + " WHERE RAND() * 100 < ? ORDER BY " + columns(key);
    }

    @Override
    public String upperBound(TableRef table, List<BackfillTarget.KeyColumn> key, boolean fromStart, boolean toEnd) {
        return "SELECT " + columns(key) + " FROM " + table(table)
                + String.join(" AND ", bounds(key, fromStart, toEnd)).transform(w -> w.isEmpty() ? "" : " WHERE " + w)
                + " ORDER BY " + columns(key) + " LIMIT 1 OFFSET ?";
    }

    @Override
    public String update(TableRef table, BackfillTarget target, boolean fromStart, boolean toEnd) {
        String set = target.columns().stream()
                .map(f -> ident(f.column()) + " = CASE WHEN " + ident(f.column()) + " IS NULL THEN "
                        + expression(f.up()) + " ELSE " + ident(f.column()) + " END")
                .collect(Collectors.joining(", "));
        String pending = target.columns().stream().map(f -> ident(f.column()) + " IS NULL")
                .collect(Collectors.joining(" OR "));
        return "UPDATE " + table(table) + " SET " + set + " WHERE (" + pending + ")"
                + bounds(target.key(), fromStart, toEnd).stream().map(c -> " AND " + c).collect(Collectors.joining());
    }

    @Override
    public String activeSessions() {
        return "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND NOT IN ('Sleep', 'Daemon')"
                + " AND DB = DATABASE() AND ID <> CONNECTION_ID()";
    }

    /** A MariaDB primary does not see its replicas' lag; refused rather than silently not throttled. */
    @Override
    public String replicationLagMillis() {
        throw new UnsupportedDatabaseException("the replication lag limit is not supported on MariaDB: a primary "
                + "does not see its replicas' lag. Run the backfill without --max-replication-lag");
    }

    @Override
    public String checkCounts(TableRef table, BackfillTarget target, boolean sampled) {
        return "SELECT COUNT(*), COALESCE(SUM(pending), 0), COALESCE(SUM(differs), 0) FROM ("
                + checked(table, target, sampled) + ") AS checked";
    }

    @Override
    public String checkMismatches(TableRef table, BackfillTarget target, boolean sampled, int limit) {
        return "SELECT " + columns(target.key()) + ", pending FROM (" + checked(table, target, sampled)
                + ") AS checked WHERE pending OR differs ORDER BY " + columns(target.key()) + " LIMIT " + limit;
    }

    /**
     * Each row's key, whether it still needs backfill and whether its filled target differs from up(row). The
     * sample's parameters: the percentage, RAND's seed (the same seed, the same rows), the most rows.
     */
    private static String checked(TableRef table, BackfillTarget target, boolean sampled) {
        String pending = target.columns().stream().map(f -> "(" + ident(f.column()) + " IS NULL AND "
                + expression(f.up()) + " IS NOT NULL)").collect(Collectors.joining(" OR "));
        String differs = target.columns().stream().map(f -> "(" + ident(f.column()) + " IS NOT NULL AND NOT ("
                + ident(f.column()) + " <=> " + expression(f.up()) + "))").collect(Collectors.joining(" OR "));
        String rows = sampled ? "(SELECT * FROM " + table(table) + " WHERE ? > RAND(?) * 100 LIMIT ?)" : table(table);
        return "SELECT " + columns(target.key()) + ", " + pending + " AS pending, " + differs + " AS differs FROM "
                + rows + " AS " + ident(target.table());
    }

    /** The conditions that bound a key range. */
    private static List<String> bounds(List<BackfillTarget.KeyColumn> key, boolean fromStart, boolean toEnd) {
        List<String> bounds = new ArrayList<>();
        if (!fromStart) {
            bounds.add(row(key) + " > " + values(key));
        }
        if (!toEnd) {
            bounds.add(row(key) + " <= " + values(key));
        }
        return bounds;
    }

    private static String columns(List<BackfillTarget.KeyColumn> key) {
        return names(key.stream().map(BackfillTarget.KeyColumn::name).toList());
    }

    private static String row(List<BackfillTarget.KeyColumn> key) {
        return key.size() == 1 ? columns(key) : "(" + columns(key) + ")";
    }

    private static String values(List<BackfillTarget.KeyColumn> key) {
        String marks = key.stream().map(k -> "?").collect(Collectors.joining(", "));
        return key.size() == 1 ? marks : "(" + marks + ")";
    }
}
