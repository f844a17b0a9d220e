package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.TandemConfig;

/**
 * Steers one worker's batch size toward the target batch duration: after each full batch the next size is
 * the one the last batch's speed predicts, changed by at most half or double at once so one odd batch (a
 * cold cache, a short lock wait) does not swing it, and kept within the configured bounds.
 */
final class BatchSizer {
    private final int min;
    private final int max;
    private final long targetNanos;
    private int size;

    BatchSizer(TandemConfig config) {
        this.min = config.minBatchSize();
        this.targetNanos = config.targetBatchDuration().toNanos();
        // under a maximum rate no batch holds more rows than the rate allows in one target duration, so that the
        // rate holds from the first batch instead of on average over long waits after huge ones
        long paced = config.maxRate() == 0 ? Long.MAX_VALUE : config.maxRate() * targetNanos / 1_000_000_000L;
        this.max = (int) Math.max(min, Math.min(config.maxBatchSize(), paced));
        this.size = Math.min(config.batchSize(), max);
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
