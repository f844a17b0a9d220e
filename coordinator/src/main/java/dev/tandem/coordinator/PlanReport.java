package dev.tandem.coordinator;

import java.util.List;

/**
 * What each phase of a migration would run, and the lock each statement takes. Nothing is changed.
 *
 * @param backfillEnd what the backfill runs once its batches are done (MariaDB's table copy: the copy's unique
 *                    indexes and triggers, the second keys of the tables that refer to it, the new version's views of
 *                    it); no statements otherwise
 */
public record PlanReport(String migration, String schema, String versionSchema, String previousVersionSchema,
                         PlannedPhase expand, List<PlannedBackfill> backfill, PlannedPhase backfillEnd,
                         PlannedPhase contract, PlannedPhase rollback) {
    public PlanReport {
        backfill = List.copyOf(backfill);
    }
}
