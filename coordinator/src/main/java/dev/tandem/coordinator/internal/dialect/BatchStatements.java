package dev.tandem.coordinator.internal.dialect;

import dev.tandem.coordinator.internal.ddl.KeyRange;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import java.sql.SQLException;
import java.util.List;

/**
 * The SQL of the backfill in a dialect. Key values travel as text and are cast to the key's types. A
 * {@link KeyRange} is bounded below exclusively and above inclusively, each side unless it is open; its
 * parameters are the lower bound's key values, then the upper bound's.
 */
public interface BatchStatements {

    /** Marks the current transaction as the backfill's, so sync triggers skip its writes. */
    String markTransaction();

    /** Sets the statement timeout of the current transaction, in milliseconds. */
    String statementTimeout(long millis);

    /** True when the statement was cancelled by the statement timeout. */
    boolean isStatementTimeout(SQLException e);

    /** The table's estimated row count, negative when never analyzed; one row, one column. */
    String estimate(TableRef table);

    /** The table's exact row count; one row, one column. */
    String count(TableRef table);

    /** The keys of a random sample of rows, in key order; parameter: the percentage of rows to sample. */
    String sampleKeys(TableRef table, List<BackfillTarget.KeyColumn> key);

    /**
     * The key of the row {@code n} rows into the key range: parameters are the range's bounds, then n - 1.
     * No row when the range holds fewer rows.
     */
    String upperBound(TableRef table, List<BackfillTarget.KeyColumn> key, KeyRange range);

    /**
     * As {@link #upperBound(TableRef, List, KeyRange)}, for a batch of {@code target}: where the batch's write takes a
     * lock the application's writes take only after their row locks, the read also locks the batch's rows, so that
     * the batch waits for those writes before it takes that lock rather than deadlock with them.
     */
    default String upperBound(TableRef table, BackfillTarget target, KeyRange range) {
        return upperBound(table, target.key(), range);
    }

    /**
     * Where a batch of {@code target} must not read past the rows its reads locked (a copy's, see
     * {@link #upperBound(TableRef, BackfillTarget, KeyRange)}): the last key of the range, read and locked likewise,
     * which a range's last batch ends at; one row, or none when the range is empty. Null where the range's own end
     * serves.
     */
    default String lastKey(TableRef table, BackfillTarget target, KeyRange range) {
        return null;
    }

    /** Fills the target columns of rows in the key range that still need it; parameters: the range's bounds. */
    String update(TableRef table, BackfillTarget target, KeyRange range);

    /** How many other sessions of this database are running a statement right now; one row, one column. */
    String activeSessions();

    /**
     * The largest replay lag of any replica as the primary sees it, in milliseconds, 0 without replicas; one row,
     * one column. Throws {@link dev.tandem.coordinator.UnsupportedDatabaseException} where the primary cannot tell.
     */
    String replicationLagMillis();

    /** How far the primary has written its replication stream (a WAL position, a GTID list); one row, one column. */
    String writtenPosition();

    /**
     * Run on a replica: how far it has applied that stream; one row, one column, NULL on a server that has applied
     * none.
     */
    String replayedPosition();

    /** Whether a replica that applied up to {@code replayed} has applied what the primary wrote up to {@code written}. */
    boolean replayedUpTo(String replayed, String written);

    /**
     * Counts the rows checked, those that still need backfill (a target NULL that {@code up} would fill) and
     * those whose filled target differs from {@code up} of the row; one row, three columns. With
     * {@code sampled}, parameters are the percentage of rows to sample, a seed (the same seed, the same sample)
     * and the most rows to check.
     */
    String checkCounts(TableRef table, BackfillTarget target, boolean sampled);

    /** The first {@code limit} rows of those counted that need backfill or differ: key columns, then pending. */
    String checkMismatches(TableRef table, BackfillTarget target, boolean sampled, int limit);

    /**
     * For a table copy: the table's row count and a sum of a hash of its keys, then the copy's; one row, four columns,
     * read by one statement and so from one snapshot. Only a dialect with the table-copy strategy has it.
     */
    default String copyCounts(TableRef table, BackfillTarget target) {
        throw new IllegalStateException("this dialect has no table copy: " + target.table());
    }
}
