package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.internal.ddl.KeyRange;
import dev.tandem.coordinator.internal.engine.Retry;
import dev.tandem.coordinator.internal.engine.TestPause;
import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One backfill worker on its own connection: leases a key range, fills it batch by batch (each batch and its
 * checkpoint in one transaction, which also renews the lease), and leases the next until none is left.
 * A worker that finds its lease taken over rolls its batch back and moves on. Before each batch it reads the
 * backfill's control: while paused it waits, renewing its lease; it takes on the rate and the number of workers.
 */
final class Worker {
    /** Why a worker waits while {@code migrate control --pause} holds. */
    private static final String PAUSED = "paused by migrate control";

    private final TableRun run;
    private final Connection connection;
    private final String owner;
    private final int number;
    private final Crew crew;
    private final BatchSizer sizer;
    /** How long the maximum rate wants this worker to wait before its next batch. */
    private long owedPaceNanos;

    Worker(TableRun run, Connection connection, String owner, int number, Crew crew) {
        this.run = run;
        this.connection = connection;
        this.owner = owner;
        this.number = number;
        this.crew = crew;
        this.sizer = new BatchSizer(run.config(), BatchSizer.target(run.config(), run.target()));
    }

    /**
     * Works until every range of the table is done, the run stops, or the crew retires it; leaves the session's idle
     * transaction timeout as it found it (where it is not transaction-local).
     */
    void work() throws SQLException {
        try {
            claimAndFill();
        } finally {
            try {
                run.dialect().setIdleTransactionTimeout(connection, Duration.ZERO);
            } catch (SQLException ignored) {
                // the session is gone, and its settings with it
            }
        }
    }

    private void claimAndFill() throws SQLException {
        Duration poll = min(run.config().throttleInterval(), run.config().leaseDuration().dividedBy(4));
        while (!run.stop().get() && !crew.retired(number)) {
            long seen = crew.rangesEnded();
            Optional<BackfillRange> claimed = run.state().claimRange(connection, run.config().schema(),
                    run.migration(), run.target().table(), owner, run.config().leaseDuration());
            if (claimed.isPresent()) {
                run.activeWorkers().incrementAndGet();
                try {
                    fill(claimed.get());
                } finally {
                    run.activeWorkers().decrementAndGet();
                }
            } else if (run.state().rangesLeft(connection, run.config().schema(), run.migration(),
                    run.target().table()) == 0) {
                return;
            } else {
                crew.awaitRangeEnd(seen, poll); // the ranges left are leased: wait for one to end or expire
            }
        }
    }

    private void fill(BackfillRange claimed) throws SQLException {
        BackfillRange range = claimed;
        try {
            while (range != null && !range.done() && !run.stop().get()) {
                long paused = waitWhileThrottled(range);
                if (paused >= 0 && crew.retired(number)) {
                    break;
                }
                range = paused < 0 ? null : batch(range, paused);
            }
        } finally {
            if (range != null && !range.done()) {
                release(range);
            }
            crew.rangeEnded();
        }
    }

    /**
     * Waits out the maximum rate, then while the backfill is paused or the server is too busy, renewing the lease;
     * the time waited in milliseconds, or -1 when the lease was lost.
     */
    private long waitWhileThrottled(BackfillRange range) throws SQLException {
        long start = System.nanoTime();
        boolean waited = owedPaceNanos > 0;
        sleep(owedPaceNanos);
        owedPaceNanos = 0;
        String reason = reason();
        if (reason != null) {
            waited = true;
            run.progress().paused(reason);
        }
        while (reason != null && !run.stop().get() && !crew.retired(number)) {
            sleep(run.config().throttleInterval().toNanos());
            BackfillRange sofar = range.after(range.lastKey(), 0, (System.nanoTime() - start) / 1_000_000, false);
            if (!run.state().renewLease(connection, run.config().schema(), run.migration(), sofar, owner,
                    run.config().leaseDuration())) {
                return -1;
            }
            String next = reason();
            if (next != null && PAUSED.equals(next) != PAUSED.equals(reason)) {
                run.progress().paused(next); // from the throttle to the control's pause, or back
            }
            reason = next;
        }
        return waited ? (System.nanoTime() - start) / 1_000_000 : 0;
    }

    /**
     * Reads the backfill's control and takes on its rate and number of workers; why the worker must wait now (paused,
     * or the server too busy), or null when it may go on.
     */
    private String reason() throws SQLException {
        BackfillControl control = run.steering().read(connection);
        long maxRate = control.maxRateOr(run.config().maxRate());
        run.throttle().maxRate(maxRate);
        sizer.maxRate(maxRate);
        crew.staff(control.workersOr(run.config().workers()));
        return control.paused() ? PAUSED : run.throttle().reason(connection);
    }

    /** One batch from the range's checkpoint on; the range as saved, or null when the lease was lost. */
    private BackfillRange batch(BackfillRange range, long pausedMillis) throws SQLException {
        String lower = range.resumeAfter();
        String step = "backfill/" + run.target().table();
        for (int attempt = 0; ; attempt++) {
            long start = System.nanoTime();
            try {
                connection.setAutoCommit(false);
                // the lock timeout before the statement timeout: on MariaDB setting it clears the statement timeout
                run.dialect().setLockTimeout(connection, run.config().lockTimeout(), true);
                run.dialect().setIdleTransactionTimeout(connection, run.config().lockHoldTimeout());
                try (Statement s = connection.createStatement()) {
                    s.execute(run.sql().markTransaction());
                    s.execute(run.sql().statementTimeout(run.config().batchStatementTimeout().toMillis()));
                }
                String upper = upperBound(lower, range.upperKey(), sizer.size());
                boolean last = upper == null;
                if (last) {
                    upper = lastKey(lower, range.upperKey());
                }
                int rows = update(lower, upper);
                TestPause.at(step);
                BackfillRange next = range.after(upper, rows, pausedMillis, last);
                if (!run.state().checkpoint(connection, run.config().schema(), run.migration(), next, owner,
                        run.config().leaseDuration())) {
                    rollback();
                    return null;
                }
                connection.commit();
                connection.setAutoCommit(true);
                if (!last) {
                    sizer.observe(System.nanoTime() - start);
                }
                run.config().afterStep().accept(step + "/" + next.rangeNo() + "/" + next.batches());
                owedPaceNanos = run.throttle().paceNanos(rows);
                run.progress().batchDone(next, rows, pausedMillis, run.activeWorkers().get());
                return next;
            } catch (SQLException e) {
                rollback();
                if (run.sql().isStatementTimeout(e) && sizer.shrink()) {
                    continue;
                }
                if (run.dialect().isRetryable(e)) {
                    boolean retried = attempt < run.config().lockRetries();
                    run.config().stepListener().lockConflict(run.migration(), step, attempt + 1, retried);
                    if (retried) {
                        Retry.pause(Retry.delay(attempt, run.config().retryBaseDelay(), run.config().retryMaxDelay()));
                        continue;
                    }
                }
                if (run.dialect().isBadInput(e)) {
                    throw new InvalidMigrationException("backfill of table '" + run.target().table() + "' failed "
                            + failingRows(lower, range.upperKey()) + " (" + fills() + "): "
                            + message(e) + constraintHint(e) + ". Earlier batches are kept; fix the row or "
                            + "the migration's up expression and run backfill again, or roll back.", e)
                            .within(run.migration(), PhaseKind.BACKFILL, step);
                }
                throw new DatabaseException("backfill of table '" + run.target().table() + "' failed in the batch "
                        + "after key " + (lower == null ? "(start)" : lower) + ": " + message(e)
                        + constraintHint(e) + ". Earlier batches are kept; fix the cause and run backfill again, or "
                        + "roll back.", e).within(run.migration(), PhaseKind.BACKFILL, step);
            }
        }
    }

    /**
     * "on the row with key K", the first row after {@code lower} (up to {@code rangeUpper}) the update fails on, found
     * by halving the batch that failed, each try rolled back; or the batch when no single row fails alone (two of its
     * rows get the same value of a unique index).
     */
    private String failingRows(String lower, String rangeUpper) {
        String key = failingKey(lower, rangeUpper);
        return key != null ? "on the row with key " + key : "in the batch after key " + (lower == null ? "(start)"
                : lower) + ", on no single row alone but on rows of the batch together";
    }

    /** The key {@link #failingRows} describes; null when no single row fails alone. */
    private String failingKey(String lower, String rangeUpper) {
        String from = lower;
        int rows = sizer.size();
        try {
            while (rows > 1) {
                int half = rows / 2;
                String middle = upperBound(from, rangeUpper, half);
                if (middle == null || fails(from, middle)) {
                    rows = half;
                } else {
                    from = middle;
                    rows -= half;
                }
            }
            String key = upperBound(from, rangeUpper, 1);
            return key != null && fails(from, key) ? key : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** The database's message, without a final period, as the hint and advice after it are sentences of their own. */
    private static String message(SQLException e) {
        String message = e.getMessage().strip();
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    /** Whether the update of the rows after {@code lower} up to {@code upper} fails on their data; rolled back. */
    private boolean fails(String lower, String upper) throws SQLException {
        connection.setAutoCommit(false);
        try {
            update(lower, upper);
            return false;
        } catch (SQLException e) {
            if (run.dialect().isBadInput(e)) {
                return true;
            }
            throw e;
        } finally {
            rollback();
        }
    }

    /** What the update sets: each column and its up expression. */
    private String fills() {
        return run.target().columns().stream().map(fill -> fill.column() + " = " + fill.up().text())
                .collect(Collectors.joining(", "));
    }

    /** What likely broke a constraint the backfill's values break, for its message; empty for other failures. */
    private static String constraintHint(SQLException e) {
        return isConstraintViolation(e) ? ". A row's value from up breaks a constraint of the new version; for a"
                + " unique one, another row already holds that value: one written (by either version) before the"
                + " backfill reached this row, or already there before expand" : "";
    }

    /** SQLSTATE class 23 on both databases: unique, not-null, check and foreign-key violations. */
    private static boolean isConstraintViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    private String upperBound(String lower, String rangeUpper, int size) throws SQLException {
        KeyRange keys = new KeyRange(lower, rangeUpper);
        try (PreparedStatement s = connection.prepareStatement(run.sql().upperBound(run.table(), run.target(), keys))) {
            s.setInt(bind(s, keys), size - 1);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Keys.read(rows, run.target().key().size()) : null;
            }
        }
    }

    /** Where the range's last batch ends: the range's end, or the last key its read locked where the target needs it. */
    private String lastKey(String lower, String rangeUpper) throws SQLException {
        KeyRange keys = new KeyRange(lower, rangeUpper);
        String query = run.sql().lastKey(run.table(), run.target(), keys);
        if (query == null) {
            return rangeUpper;
        }
        try (PreparedStatement s = connection.prepareStatement(query)) {
            bind(s, keys);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Keys.read(rows, run.target().key().size()) : rangeUpper;
            }
        }
    }

    private int update(String lower, String upper) throws SQLException {
        KeyRange keys = new KeyRange(lower, upper);
        try (PreparedStatement s = connection.prepareStatement(run.sql().update(run.table(), run.target(), keys))) {
            bind(s, keys);
            return s.executeUpdate();
        }
    }

    /** Binds the range's lower bound's key values, then its upper's; returns the next parameter. */
    private static int bind(PreparedStatement statement, KeyRange keys) throws SQLException {
        return Keys.bind(statement, Keys.bind(statement, 1, keys.lower()), keys.upper());
    }

    private void release(BackfillRange range) {
        try {
            run.state().releaseRange(connection, run.config().schema(), run.migration(), range, owner);
        } catch (SQLException e) {
            // the lease expires by itself, or with this session
        }
    }

    private void rollback() {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; the error reported says why
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(long nanos) {
        if (nanos > 0) {
            Retry.pause(Duration.ofNanos(nanos));
        }
    }
}
