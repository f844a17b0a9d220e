package dev.tandem.coordinator.state;

/**
 * One key range of a table's backfill as a worker holds it under lease. Keys are JSON arrays of text values;
 * the range holds the keys above {@code lowerKey} (null: from the start) up to and including {@code upperKey}
 * (null: to the end), and the worker has filled it up to and including {@code lastKey}.
 */
public record BackfillRange(String table, int rangeNo, String lowerKey, String upperKey, String lastKey,
                            long rowsDone, int batches, long pausedMillis, boolean done) {

    /** The lower bound of the next batch: the last key filled, or the range's own lower bound. */
    public String resumeAfter() {
        return lastKey != null ? lastKey : lowerKey;
    }

    public BackfillRange after(String batchUpper, long rows, long paused, boolean finished) {
        return new BackfillRange(table, rangeNo, lowerKey, upperKey, batchUpper, rowsDone + rows, batches + 1,
                pausedMillis + paused, finished);
    }
}
