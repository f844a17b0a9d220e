package dev.tandem.coordinator.internal.backfill;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The workers of one process on one table, their number changed while they run ({@code migrate control
 * --workers}). Worker 0 runs on the connection holding the run lock, in the calling thread, to the end; the others
 * on threads, each on a connection of its own. When the number drops, the workers numbered at or above it finish
 * their batch, give their range up and end; when it rises, new ones start, from the next batch of any worker.
 */
final class Crew {
    private final TableRun run;
    private final ExecutorService threads;
    private final DataSource dataSource;
    private final String owner;
    /** How many workers the process was configured with: a failure of one of them fails the run. */
    private final int configured;
    /** Every worker thread started, to wait for and to collect failures from. */
    private final List<Future<Void>> started = new ArrayList<>();
    /** The thread of each worker number, the latest started. */
    private final Map<Integer, Future<Void>> byNumber = new HashMap<>();
    private int wanted;
    private boolean ended;
    /** Ranges this crew's workers finished or gave up, which a worker with none to lease waits for. */
    private long rangesEnded;

    Crew(TableRun run, ExecutorService threads, DataSource dataSource, String owner, int configured) {
        this.run = run;
        this.threads = threads;
        this.dataSource = dataSource;
        this.owner = owner;
        this.configured = configured;
    }

    /** Runs worker 0 here and the others on threads; rethrows the first failure once all have ended. */
    void work(Connection connection) throws SQLException {
        staff(configured);
        Throwable failure = null;
        try {
            new Worker(run, connection, owner + "/w0", 0, this).work();
        } catch (SQLException | RuntimeException | Error e) {
            run.stop().set(true);
            failure = e;
        }
        List<Future<Void>> others;
        synchronized (this) {
            ended = true;
            others = List.copyOf(started);
        }
        for (Future<Void> other : others) {
            try {
                other.get();
            } catch (ExecutionException e) {
                failure = firstOf(failure, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.stop().set(true);
                failure = firstOf(failure, e);
            }
        }
        if (failure instanceof SQLException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a backfill worker stopped: " + failure, failure);
        }
    }

    /**
     * Keeps {@code count} workers running: starts the missing ones, and lets those numbered {@code count} or above
     * retire after their batch.
     */
    synchronized void staff(int count) {
        wanted = count;
        if (ended || run.stop().get()) {
            return;
        }
        for (int number = 1; number < count; number++) { // worker 0 is not on a thread
            Future<Void> thread = byNumber.get(number);
            if (thread == null || thread.isDone()) {
                int worker = number;
                thread = threads.submit(() -> {
                    work(worker);
                    return null;
                });
                byNumber.put(number, thread);
                started.add(thread);
            }
        }
    }

    /** Whether worker {@code number} is to end after its batch; worker 0 never is. */
    synchronized boolean retired(int number) {
        return number > 0 && number >= wanted;
    }

    synchronized long rangesEnded() {
        return rangesEnded;
    }

    /** A worker of this crew finished its range or gave it up: a worker waiting for one may now lease or end. */
    synchronized void rangeEnded() {
        rangesEnded++;
        notifyAll();
    }

    /**
     * Waits until a range ends after the {@code seen}-th, or {@code timeout} passes: ranges leased by this crew end
     * with its own workers, so an idle one ends as soon as the last does, not a poll later (a second on every
     * table, here); ranges leased by other processes are only seen by polling.
     */
    synchronized void awaitRangeEnd(long seen, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (long left = timeout.toNanos(); rangesEnded == seen && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a backfill range", e);
        }
    }

    private void work(int number) throws SQLException {
        Connection own;
        try {
            own = dataSource.getConnection();
        } catch (SQLException e) {
            if (number < configured) {
                run.stop().set(true);
                throw e;
            }
            return; // a worker added while the backfill runs needs a free connection; the others go on without it
        }
        try (own) {
            own.setAutoCommit(true);
            new Worker(run, own, owner + "/w" + number, number, this).work();
        } catch (SQLException | RuntimeException | Error e) {
            run.stop().set(true);
            throw e;
        }
    }

    private static Throwable firstOf(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
