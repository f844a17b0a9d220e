package dev.tandem.coordinator;

import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.HistoryEntry;
import java.time.Instant;
import java.util.List;

/** One migration as {@code migrate status} reports it. */
public record MigrationStatus(String name, String schema, String phase, String source, String versionSchema,
                              String previousVersionSchema, boolean backfillComplete, List<BackfillProgress> backfill,
                              List<String> backfillPending, Instant createdAt, Instant updatedAt,
                              List<HistoryEntry> history) {
}
