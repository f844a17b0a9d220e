package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.TandemConfig;

/**
 * Steers one worker's batch size toward the target batch duration: after each full batch the next size is
 * the one the last batch's speed predicts, changed by at most half or double at once so one odd batch (a
 * cold cache, a short lock wait) does not swing it, and kept within the configured bounds.
 */
final class BatchSizer {
    private final int min;
    private final int configuredMax;
    private final long targetNanos;
    private long maxRate;
    private int max;
    private int size;

    BatchSizer(TandemConfig config) {
        this.min = config.minBatchSize();
        this.configuredMax = config.maxBatchSize();
        this.targetNanos = config.targetBatchDuration().toNanos();
        this.maxRate = config.maxRate();
        this.max = max(maxRate);
        this.size = Math.min(config.batchSize(), max);
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
        size = clamp((int) Math.min(Integer.MAX_VALUE, Math.max(size / 2.0, Math.min(size * 2.0, predicted))));
    }

    /** The batch met the statement timeout; false when it is already as small as allowed. */
    boolean shrink() {
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
