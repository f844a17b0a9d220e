package dev.tandem.coordinator.backfill;

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
        this.max = config.maxBatchSize();
        this.targetNanos = config.targetBatchDuration().toNanos();
        this.size = config.batchSize();
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
