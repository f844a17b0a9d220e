package dev.tandem.coordinator;

import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;

/** Told after every committed batch and whenever the throttle pauses; used for progress output. Must be quick. */
@FunctionalInterface
public interface BackfillListener {
    BackfillListener NONE = progress -> { };

    void batchDone(BackfillProgress progress);

    /** A worker pauses the backfill of {@code table} for {@code reason}; told once per pause. */
    default void paused(String table, String reason) {
    }

    /**
     * The backfill's workers read its control ({@code migrate control}): once when they start, then once per
     * change. While it is paused, each worker also tells {@link #paused} once per pause.
     */
    default void controlled(BackfillControl control) {
    }
}
