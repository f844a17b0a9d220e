package dev.tandem.coordinator.backfill;

import dev.tandem.coordinator.state.BackfillProgress;

/** Told after every committed batch; used for progress output. Must be quick. */
@FunctionalInterface
public interface BackfillListener {
    BackfillListener NONE = progress -> { };

    void batchDone(BackfillProgress progress);
}
