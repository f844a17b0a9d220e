package dev.tandem.coordinator;

import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.HistoryEntry;
import java.time.Instant;
import java.util.List;

/**
 * One migration as {@code migrate status} reports it.
 *
 * @param backfillControl how its backfills are steered ({@code migrate control}): paused or running, rate, workers
 */
public record MigrationStatus(String name, String schema, String phase, String source, String versionSchema,
                              String previousVersionSchema, boolean backfillComplete, List<BackfillProgress> backfill,
                              List<String> backfillPending, Instant createdAt, Instant updatedAt,
                              List<HistoryEntry> history, BackfillControl backfillControl) {

    /** A migration whose backfills were never steered. */
    public MigrationStatus(String name, String schema, String phase, String source, String versionSchema,
                           String previousVersionSchema, boolean backfillComplete, List<BackfillProgress> backfill,
                           List<String> backfillPending, Instant createdAt, Instant updatedAt,
                           List<HistoryEntry> history) {
        this(name, schema, phase, source, versionSchema, previousVersionSchema, backfillComplete, backfill,
                backfillPending, createdAt, updatedAt, history, BackfillControl.NONE);
    }
}
