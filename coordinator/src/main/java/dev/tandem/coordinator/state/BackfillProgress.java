package dev.tandem.coordinator.state;

import java.time.Instant;

/**
 * How far the backfill of one table has come.
 *
 * @param lastKey  the last primary key processed, as a JSON array of text values; null before the first batch
 * @param estimate the table's estimated row count when the backfill started
 */
public record BackfillProgress(String table, String lastKey, long rowsDone, long estimate, boolean done,
                               Instant updatedAt) {
}
