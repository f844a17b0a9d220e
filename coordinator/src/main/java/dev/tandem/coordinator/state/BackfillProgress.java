package dev.tandem.coordinator.state;

import java.time.Instant;

/**
 * How far the backfill of one table has come.
 *
 * @param lastKey       the last primary key a batch of this run reached, as a JSON array of text values; null
 *                      in status (with several workers there is no single last key) and before the first batch
 * @param estimate      the table's estimated row count when its key ranges were planned
 * @param pausedMillis  time the workers spent paused by the throttle
 * @param rangesDone    key ranges finished, of {@code ranges} planned
 * @param activeLeases  key ranges leased by a live worker right now (in status: of any process)
 */
public record BackfillProgress(String table, String lastKey, long rowsDone, long estimate, boolean done,
                               Instant updatedAt, long pausedMillis, int rangesDone, int ranges,
                               int activeLeases) {
}
