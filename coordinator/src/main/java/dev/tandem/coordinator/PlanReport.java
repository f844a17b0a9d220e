package dev.tandem.coordinator;

import java.util.List;

/** What each phase of a migration would run, and the lock each statement takes. Nothing is changed. */
public record PlanReport(String migration, String schema, String versionSchema, String previousVersionSchema,
                         PlannedPhase expand, List<PlannedBackfill> backfill, PlannedPhase contract,
                         PlannedPhase rollback) {
    public PlanReport {
        backfill = List.copyOf(backfill);
    }
}
