package dev.tandem.coordinator;

import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.engine.PhasePlan;
import java.util.List;

/** What each phase of a migration would run, and the lock each statement takes. Nothing is changed. */
public record PlanReport(String migration, String schema, String versionSchema, String previousVersionSchema,
                         PhasePlan expand, List<BackfillTarget> backfill, PhasePlan contract, PhasePlan rollback) {
}
