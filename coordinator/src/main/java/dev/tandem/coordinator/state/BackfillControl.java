package dev.tandem.coordinator.state;

import java.time.Instant;

/**
 * How a migration's running backfills are steered from outside ({@code migrate control}, {@code Tandem.control}),
 * as the state tables hold it: every backfill process of the migration reads it before each batch.
 *
 * @param paused    whether the workers wait after their current batch, keeping their key ranges leased
 * @param maxRate   the most rows per second each backfill process fills, replacing its own setting; 0 for no limit,
 *                  null to keep each process's own
 * @param workers   the workers each backfill process runs, replacing its own setting; null to keep its own
 * @param changedAt when it was last changed; null when it never was
 */
public record BackfillControl(boolean paused, Long maxRate, Integer workers, Instant changedAt) {
    /** The most workers a backfill process runs, as {@code TandemConfig} allows. */
    public static final int MAX_WORKERS = 64;
    /** Never changed: running, each process with its own rate and workers. */
    public static final BackfillControl NONE = new BackfillControl(false, null, null, null);

    public BackfillControl {
        if (maxRate != null && maxRate < 0) {
            throw new IllegalArgumentException("max rate must be zero (no limit) or more, not " + maxRate);
        }
        if (workers != null && (workers < 1 || workers > MAX_WORKERS)) {
            throw new IllegalArgumentException("workers must be between 1 and " + MAX_WORKERS + ", not " + workers);
        }
    }

    public BackfillControl withPaused(boolean paused) {
        return new BackfillControl(paused, maxRate, workers, changedAt);
    }

    public BackfillControl withMaxRate(Long maxRate) {
        return new BackfillControl(paused, maxRate, workers, changedAt);
    }

    public BackfillControl withWorkers(Integer workers) {
        return new BackfillControl(paused, maxRate, workers, changedAt);
    }

    /** The rate a process configured with {@code own} fills at most: this one's, else its own. */
    public long maxRateOr(long own) {
        return maxRate == null ? own : maxRate;
    }

    /** The workers a process configured with {@code own} runs: this one's, else its own. */
    public int workersOr(int own) {
        return workers == null ? own : workers;
    }
}
