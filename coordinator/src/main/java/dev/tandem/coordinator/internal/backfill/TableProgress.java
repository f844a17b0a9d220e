package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.BackfillRange;
import java.time.Instant;

/** One table's progress as this process's workers report it to the listener, one at a time. */
final class TableProgress {
    private final BackfillListener listener;
    private final String table;
    private final long estimate;
    private final int ranges;
    private final long rowsBefore;
    private long rowsDone;
    private long pausedMillis;
    private int rangesDone;

    TableProgress(BackfillListener listener, BackfillProgress start) {
        this.listener = listener;
        this.table = start.table();
        this.estimate = start.estimate();
        this.ranges = start.ranges();
        this.rowsBefore = start.rowsDone();
        this.rowsDone = start.rowsDone();
        this.pausedMillis = start.pausedMillis();
        this.rangesDone = start.rangesDone();
    }

    synchronized void batchDone(BackfillRange range, long rows, long paused, int activeWorkers) {
        rowsDone += rows;
        pausedMillis += paused;
        if (range.done()) {
            rangesDone++;
        }
        listener.batchDone(new BackfillProgress(table, range.lastKey(), rowsDone, estimate, false, Instant.now(),
                pausedMillis, rangesDone, ranges, activeWorkers));
    }

    synchronized void paused(String reason) {
        listener.paused(table, reason);
    }

    /** Rows this process filled. */
    synchronized long rowsFilled() {
        return rowsDone - rowsBefore;
    }
}
