package dev.tandem.coordinator;

import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.HistoryEntry;
import dev.tandem.coordinator.state.VersionStatus;
import java.time.Instant;
import java.util.List;

/**
 * One migration as {@code migrate status} reports it.
 *
 * @param backfillControl how its backfills are steered ({@code migrate control}): paused or running, rate, workers
 * @param versions        while the migration is in flight, the version it builds on and its own, each with whether it
 *                        is served and its live instances; empty once it is complete or rolled back. With several
 *                        migrations in flight (stacked), a version appears under the migration that made it and under
 *                        the one built on it
 */
public record MigrationStatus(String name, String schema, String phase, String source, String versionSchema,
                              String previousVersionSchema, boolean backfillComplete, List<BackfillProgress> backfill,
                              List<String> backfillPending, Instant createdAt, Instant updatedAt,
                              List<HistoryEntry> history, BackfillControl backfillControl,
                              List<VersionStatus> versions) {
    public MigrationStatus {
        versions = List.copyOf(versions);
    }

    /** A migration without versions to show. */
    public MigrationStatus(String name, String schema, String phase, String source, String versionSchema,
                           String previousVersionSchema, boolean backfillComplete, List<BackfillProgress> backfill,
                           List<String> backfillPending, Instant createdAt, Instant updatedAt,
                           List<HistoryEntry> history, BackfillControl backfillControl) {
        this(name, schema, phase, source, versionSchema, previousVersionSchema, backfillComplete, backfill,
                backfillPending, createdAt, updatedAt, history, backfillControl, List.of());
    }

    /** A migration whose backfills were never steered. */
    public MigrationStatus(String name, String schema, String phase, String source, String versionSchema,
                           String previousVersionSchema, boolean backfillComplete, List<BackfillProgress> backfill,
                           List<String> backfillPending, Instant createdAt, Instant updatedAt,
                           List<HistoryEntry> history) {
        this(name, schema, phase, source, versionSchema, previousVersionSchema, backfillComplete, backfill,
                backfillPending, createdAt, updatedAt, history, BackfillControl.NONE);
    }
}
