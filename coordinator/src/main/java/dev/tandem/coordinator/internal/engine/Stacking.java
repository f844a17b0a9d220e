package dev.tandem.coordinator.internal.engine;

import dev.tandem.coordinator.internal.schema.SchemaModel;
import java.util.List;
import java.util.function.Function;

/**
 * Where a migration stands among the others in flight on its schema (stacked versions): each expand builds on the
 * version of the migration in flight below it, so its views show that migration's changes as well as its own.
 *
 * @param start     the schema as the version below sees it; null for the catalog the migration was expanded on
 * @param below     the plans of the migrations in flight below, bottom first: expand adds its version to the
 *                  writers their sync triggers take for the new version
 * @param above     the version schemas of the migrations stacked on this one, bottom first
 * @param liveBelow the version schemas of the live versions below this one that have schemas of views
 * @param restack   the migrations stacked on this one whose versions are live, built on the given schema instead
 *                  (this migration contracted, or rolled back), bottom first
 * @param level     how many migrations this one is stacked on, one on another (0: none)
 */
public record Stacking(SchemaModel start, List<PlanBuilder> below, List<String> above, List<String> liveBelow,
                       Function<SchemaModel, List<Stacked>> restack, int level) {
    /** A migration alone on its schema. */
    public static final Stacking NONE = new Stacking(null, List.of(), List.of(), List.of(), model -> List.of(), 0);

    /**
     * A migration stacked on another, and whether it is still in flight (it has sync triggers) or complete (only its
     * version's views are left: it contracted before the migration below it, which shares no table with it).
     */
    public record Stacked(PlanBuilder plan, boolean inFlight) {
    }
}
