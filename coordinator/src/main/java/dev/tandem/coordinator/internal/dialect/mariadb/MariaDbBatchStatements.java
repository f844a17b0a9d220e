package dev.tandem.coordinator.internal.dialect.mariadb;

import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.UnsupportedDatabaseException;
import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.ddl.KeyRange;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.KeyRangeStatements;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Backfill batches as key-range UPDATEs. A one-column key is compared as itself, so the range uses the
 * primary key index; a longer key as a row. Key values travel as text and MariaDB converts them to the
 * column's type in the comparison.
 */
final class MariaDbBatchStatements extends KeyRangeStatements {
    /** ER_STATEMENT_TIMEOUT: max_statement_time exceeded. */
    static final int STATEMENT_TIMEOUT = 1969;

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
    public String activeSessions() {
        return "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND NOT IN ('Sleep', 'Daemon')"
                + " AND DB = DATABASE() AND ID <> CONNECTION_ID()";
    }

    /** A MariaDB primary does not see its replicas' lag; refused rather than silently not throttled. */
    @Override
    public String replicationLagMillis() {
        throw new UnsupportedDatabaseException("a MariaDB primary does not see its replicas' lag: name the replicas "
                + "the replication lag limit watches (--replica URL, or TandemConfig replicas)");
    }

    @Override
    public String writtenPosition() {
        return "SELECT @@gtid_binlog_pos";
    }

    @Override
    public String replayedPosition() {
        return "SELECT NULLIF(@@gtid_slave_pos, '')";
    }

    /** GTID lists: the replica has applied, in every replication domain the primary wrote, as far as it did. */
    @Override
    public boolean replayedUpTo(String replayed, String written) {
        Map<String, Long> applied = sequences(replayed);
        return sequences(written).entrySet().stream()
                .allMatch(domain -> applied.getOrDefault(domain.getKey(), -1L) >= domain.getValue());
    }

    /** The sequence number of each domain of a GTID list such as {@code 0-1-42,1-2-7}. */
    private static Map<String, Long> sequences(String gtids) {
        Map<String, Long> sequences = new HashMap<>();
        for (String gtid : gtids.split(",")) {
            String[] parts = gtid.strip().split("-");
            if (parts.length == 3) {
                sequences.merge(parts[0], Long.parseLong(parts[2]), Math::max);
            }
        }
        return sequences;
    }

    /**
     * With the table-copy strategy, a batch copies the range's rows into the copy. Its reads of the upper key
     * ({@link #upperBound(TableRef, BackfillTarget, KeyRange)}, or {@link #lastKey} for the range's last batch) have
     * locked every row it copies in share mode: none can be deleted meanwhile (and copied back after its delete
     * trigger ran), and one the application changes waits for the batch, so the trigger's write lands after the
     * copied row. The copy itself reads without locks: a locking read here, which takes the rows after the copy's
     * AUTO_INCREMENT lock, would deadlock with an application write holding a row and waiting for that lock. A key
     * the copy has already (inserted or updated by a trigger, or copied before a crash) is left as it is.
     */
    @Override
    public String update(TableRef table, BackfillTarget target, KeyRange range) {
        if (target.copyTable() == null) {
            return super.update(table, target, range);
        }
        String columns = target.columns().stream().map(f -> ident(f.column())).collect(Collectors.joining(", "));
        String values = target.columns().stream().map(f -> expression(f.up())).collect(Collectors.joining(", "));
        String where = bounds(target.key(), range).stream().collect(Collectors.joining(" AND "));
        String key = ident(target.key().get(0).name());
        return "INSERT INTO " + table(table.withName(target.copyTable())) + " (" + columns + ") SELECT " + values + " FROM "
                + table(table) + " AS " + ident(target.table()) + (where.isEmpty() ? "" : " WHERE " + where)
                + " ON DUPLICATE KEY UPDATE " + key + " = " + table(table.withName(target.copyTable()))
                + "." + key;
    }

    /**
     * A copy's batch is an {@code INSERT … SELECT}, which holds the copy's AUTO_INCREMENT lock to its end (with
     * {@code innodb_autoinc_lock_mode} 1, the default): an application write that holds a row of the range and then
     * inserts into the copy through its trigger would wait for that lock while the batch waits for its row, and lose
     * the deadlock. Reading the batch's upper key in share mode locks the batch's rows first.
     */
    @Override
    public String upperBound(TableRef table, BackfillTarget target, KeyRange range) {
        String bound = upperBound(table, target.key(), range);
        return target.copyTable() == null ? bound : bound + " LOCK IN SHARE MODE";
    }

    /** A copy's last batch ends at the last row its reads locked; rows written since are in the copy already. */
    @Override
    public String lastKey(TableRef table, BackfillTarget target, KeyRange range) {
        if (target.copyTable() == null) {
            return null;
        }
        String where = String.join(" AND ", bounds(target.key(), range));
        return "SELECT " + columns(target.key()) + " FROM " + table(table) + (where.isEmpty() ? "" : " WHERE " + where)
                + " ORDER BY " + target.key().stream().map(k -> ident(k.name()) + " DESC")
                .collect(Collectors.joining(", ")) + " LIMIT 1 LOCK IN SHARE MODE";
    }

    @Override
    public String checkCounts(TableRef table, BackfillTarget target, boolean sampled) {
        return "SELECT COUNT(*), COALESCE(SUM(pending), 0), COALESCE(SUM(differs), 0) FROM ("
                + checked(table, target, sampled) + ") AS checked";
    }

    /**
     * Both tables' rows, read by one statement: one snapshot of both, and each write reaches both tables in one
     * transaction. The hash is that of the key's text.
     */
    @Override
    public String copyCounts(TableRef table, BackfillTarget target) {
        String hash = "CRC32(" + (target.key().size() == 1 ? columns(target.key())
                : "CONCAT_WS(',', " + columns(target.key()) + ")") + ")";
        return "SELECT * FROM (SELECT COUNT(*), COALESCE(SUM(" + hash + "), 0) FROM " + table(table) + ") AS original, "
                + "(SELECT COUNT(*), COALESCE(SUM(" + hash + "), 0) FROM " + table(table.withName(target.copyTable()))
                + ") AS copy";
    }

    @Override
    protected String ident(String name) {
        return MariaDbDialect.ident(name);
    }

    @Override
    protected String expression(SqlExpression up) {
        return MariaDbSql.expression(up);
    }

    @Override
    protected String row(List<BackfillTarget.KeyColumn> key) {
        return key.size() == 1 ? columns(key) : "(" + columns(key) + ")";
    }

    @Override
    protected String values(List<BackfillTarget.KeyColumn> key) {
        String marks = key.stream().map(k -> "?").collect(Collectors.joining(", "));
        return key.size() == 1 ? marks : "(" + marks + ")";
    }

    @Override
    protected String distinct(String left, String right) {
        return "NOT (" + left + " <=> " + right + ")";
    }

    /** RAND with a seed repeats its sequence, so the same seed picks the same rows. */
    @Override
    protected String repeatableSample() {
        return "WHERE ? > RAND(?) * 100";
    }

    @Override
    protected String skipExisting(TableRef table, String key) {
        String column = table(table) + "." + ident(key);
        return " ON DUPLICATE KEY UPDATE " + column + " = " + column;
    }
}
