package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import java.time.Duration;

/**
 * Steers one worker's batch size toward the target batch duration: after each full batch the next size is
 * the one the last batch's speed predicts, changed by at most half or double at once so one odd batch (a
 * cold cache, a short lock wait) does not swing it, and kept within the configured bounds. Until a batch first
 * takes half the target, the size may grow eightfold at once: the first batches are small and their time is
 * mostly the fixed cost of a batch, so their speed understates the prediction, and doubling from the first
 * size spends a large part of a short backfill on small batches.
 */
final class BatchSizer {
    private static final double RAMP_GROWTH = 8;
    private static final double GROWTH = 2;

    private final int min;
    private final int configuredMax;
    private final long targetNanos;
    private long maxRate;
    private int max;
    private int size;
    private boolean rampingUp = true;

    /** @param target how long a batch should take: {@link #target} */
    BatchSizer(TandemConfig config, Duration target) {
        this.min = config.minBatchSize();
        this.configuredMax = config.maxBatchSize();
        this.targetNanos = target.toNanos();
        this.maxRate = config.maxRate();
        this.max = max(maxRate);
        this.size = Math.min(config.batchSize(), max);
    }

    /**
     * How long a batch of {@code target} should take: the configured target, and a quarter of it for a table copy.
     * Each batch of a copy with an AUTO_INCREMENT column is an {@code INSERT … SELECT} that holds the copy's
     * AUTO_INCREMENT lock to its end, and every insert of the application into the table waits for that lock in its
     * trigger: such a batch stalls the table's inserts, where an in-place batch holds only its own rows. Batches of
     * 200,000 rows (500 ms here) also copied slower than batches of 50,000: 1M rows in 4.0-4.6 s against 2.7-3.7 s,
     * with twice the longest stall.
     */
    static Duration target(TandemConfig config, BackfillTarget target) {
        return target.copyTable() == null ? config.targetBatchDuration() : config.targetBatchDuration().dividedBy(4);
    }

    /**
     * Under a maximum rate no batch holds more rows than the rate allows in one target duration, so that the rate
     * holds from the first batch instead of on average over long waits after huge ones.
     */
    private int max(long rowsPerSecond) {
        long paced = rowsPerSecond == 0 ? Long.MAX_VALUE : rowsPerSecond * targetNanos / 1_000_000_000L;
        return (int) Math.max(min, Math.min(configuredMax, paced));
    }

    /** The maximum rate changed to {@code rowsPerSecond} (0 for none): the next batches keep to it. */
    void maxRate(long rowsPerSecond) {
        if (rowsPerSecond != maxRate) {
            maxRate = rowsPerSecond;
            max = max(rowsPerSecond);
            size = clamp(size);
        }
    }

    int size() {
        return size;
    }

    /** A full batch of {@link #size()} keys took {@code nanos}. */
    void observe(long nanos) {
        double predicted = (double) size * targetNanos / Math.max(1, nanos);
        double growth = rampingUp ? RAMP_GROWTH : GROWTH;
        rampingUp &= nanos < targetNanos / 2;
        size = clamp((int) Math.min(Integer.MAX_VALUE, Math.max(size / 2.0, Math.min(size * growth, predicted))));
    }

    /** The batch met the statement timeout; false when it is already as small as allowed. */
    boolean shrink() {
        rampingUp = false;
        if (size == min) {
            return false;
        }
        size = clamp(size / 2);
        return true;
    }

    private int clamp(int value) {
        return Math.max(min, Math.min(max, value));
    }
}
