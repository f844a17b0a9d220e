package dev.tandem.coordinator.internal.lifecycle;

import dev.tandem.coordinator.internal.engine.PlanBuilder;
import dev.tandem.coordinator.internal.engine.Stacking;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The migrations of a schema as versions stacked on one another. A migration is stacked on each one that was in
 * flight when it was expanded, and builds on the version of the latest of them: on its new shape while it is in
 * flight, on its tables as contract stored them once it is complete, on the shape below it once it is rolled back.
 * Each plan is built once, from the records alone, so it is the same after any crash.
 */
final class Stack {
    private final Run run;
    private final List<MigrationRecord> records;
    /** The version schema of a migration being expanded on top of the stack; null when there is none. */
    private final String fresh;
    /** A migration whose version the ones stacked on it see differently (contracted or rolled back), by name. */
    private final Map<String, SchemaModel> replaced;
    private final Map<String, PlanBuilder> plans = new HashMap<>();

    private Stack(Run run, List<MigrationRecord> records, String fresh,
                  Map<String, SchemaModel> replaced) {
        this.run = run;
        this.records = records;
        this.fresh = fresh;
        this.replaced = replaced;
    }

    static Stack of(Run run) throws SQLException {
        return new Stack(run, run.all(), null, Map.of());
    }

    static boolean inFlight(MigrationRecord record) {
        return record.phase() != Phase.COMPLETE && record.phase() != Phase.ROLLED_BACK;
    }

    /** Whether {@code upper} is stacked on {@code lower}: it was expanded while {@code lower} was in flight. */
    static boolean under(MigrationRecord lower, MigrationRecord upper) {
        return lower != upper && lower.createdAt().isBefore(upper.createdAt())
                && (inFlight(lower) || lower.updatedAt().isAfter(upper.createdAt()));
    }

    List<MigrationRecord> inFlight() {
        return records.stream().filter(Stack::inFlight).toList();
    }

    /** The migrations in flight stacked on {@code record}, bottom first. */
    List<MigrationRecord> above(MigrationRecord record) {
        return records.stream().filter(r -> inFlight(r) && under(record, r)).toList();
    }

    /** The migrations in flight {@code record} is stacked on, bottom first. */
    List<MigrationRecord> below(MigrationRecord record) {
        return records.stream().filter(r -> inFlight(r) && under(r, record)).toList();
    }

    /** The plans of a recorded migration, built on the migrations it is stacked on. */
    PlanBuilder plan(MigrationRecord record) {
        PlanBuilder plan = plans.get(record.name());
        if (plan == null) {
            List<String> above = new ArrayList<>(inFlight(record)
                    ? liveAbove(record).stream().map(MigrationRecord::versionSchema).toList() : List.of());
            if (fresh != null && inFlight(record)) {
                above.add(fresh);
            }
            Set<String> liveBelow = new LinkedHashSet<>();
            for (MigrationRecord lower : below(record)) {
                liveBelow.add(lower.versionSchema());
                Optional.ofNullable(previous(lower)).ifPresent(liveBelow::add);
            }
            Stacking stacking = new Stacking(start(record), below(record).stream().map(this::plan).toList(), above,
                    List.copyOf(liveBelow), model -> restacked(record, model), level(record));
            plan = run.plan(Run.migration(record), Run.snapshot(record), droppedPrevious(record), stacking);
            plans.put(record.name(), plan);
        }
        return plan;
    }

    /** The plans of a migration not recorded yet, expanded on top of the stack. */
    PlanBuilder fresh(Migration migration, CatalogSnapshot snapshot) {
        String schema = run.dialect().versionSchema(run.schema(), migration.name());
        Stack stack = new Stack(run, records.stream().filter(r -> !r.name().equals(migration.name())).toList(),
                schema, replaced);
        List<MigrationRecord> inFlight = stack.inFlight();
        List<PlanBuilder> below = inFlight.stream().map(stack::plan).toList();
        Stacking stacking = new Stacking(below.isEmpty() ? null : below.get(below.size() - 1).end(), below,
                List.of(), List.of(), model -> List.of(),
                inFlight.isEmpty() ? 0 : stack.level(inFlight.get(inFlight.size() - 1)) + 1);
        return run.plan(migration, snapshot, stack.previousForFresh(), stacking);
    }

    /** The version schema the old version of a migration expanded now uses: the top of the stack's. */
    String previousForFresh() {
        List<MigrationRecord> inFlight = inFlight();
        if (!inFlight.isEmpty()) {
            return inFlight.get(inFlight.size() - 1).versionSchema();
        }
        String previous = null;
        for (MigrationRecord record : records) {
            if (record.phase() == Phase.COMPLETE) {
                previous = record.versionSchema();
            }
        }
        return previous;
    }

    /**
     * The version schema of the version below {@code record}: the recorded one, or, when the migration that made it
     * was rolled back since, the one below that.
     */
    String previous(MigrationRecord record) {
        String previous = record.previousVersionSchema();
        for (int i = 0; previous != null && i < records.size(); i++) {
            String schema = previous;
            Optional<MigrationRecord> owner = records.stream()
                    .filter(r -> r.versionSchema().equals(schema) && r != record).findFirst();
            if (owner.isEmpty() || owner.get().phase() != Phase.ROLLED_BACK) {
                break;
            }
            previous = owner.get().previousVersionSchema();
        }
        return previous;
    }

    /** The version schema the migration's contract drops: none while a version in flight still uses it. */
    private String droppedPrevious(MigrationRecord record) {
        String previous = previous(record);
        boolean live = records.stream().anyMatch(r -> r != record && inFlight(r) && r.versionSchema().equals(previous));
        return live ? null : previous;
    }

    /** The latest migration {@code record} is stacked on, or null. */
    private MigrationRecord lower(MigrationRecord record) {
        MigrationRecord lower = null;
        for (MigrationRecord r : records) {
            if (under(r, record)) {
                lower = r;
            }
        }
        return lower;
    }

    /** How many migrations {@code record} is stacked on, one on another. */
    int level(MigrationRecord record) {
        MigrationRecord lower = lower(record);
        return lower == null ? 0 : level(lower) + 1;
    }

    /** The schema as {@code record}'s version below sees it: null for the catalog recorded at its expand. */
    private SchemaModel start(MigrationRecord record) {
        MigrationRecord lower = lower(record);
        if (lower == null) {
            return null;
        }
        if (replaced.containsKey(lower.name())) {
            return replaced.get(lower.name());
        }
        PlanBuilder plan = plan(lower);
        return switch (lower.phase()) {
            case COMPLETE -> plan.contracted();
            case ROLLED_BACK -> plan.start();
            default -> plan.end();
        };
    }

    /**
     * The plans of the migrations stacked on {@code record} whose versions are live, built on {@code model} as its
     * version: those in flight, and those complete whose version schema no later contract dropped.
     */
    private List<Stacking.Stacked> restacked(MigrationRecord record, SchemaModel model) {
        Map<String, SchemaModel> changed = new HashMap<>(replaced);
        changed.put(record.name(), model);
        Stack stack = new Stack(run, records, fresh, changed);
        return liveAbove(record).stream().map(r -> new Stacking.Stacked(stack.plan(r), inFlight(r))).toList();
    }

    /**
     * The migrations stacked on {@code record} whose versions are live: those in flight, and those complete whose
     * version schema no later contract dropped (they contracted first, sharing no table with it).
     */
    private List<MigrationRecord> liveAbove(MigrationRecord record) {
        return records.stream().filter(r -> under(record, r) && (inFlight(r) || r.phase() == Phase.COMPLETE
                && records.stream().noneMatch(q -> q.phase() == Phase.COMPLETE
                && r.versionSchema().equals(previous(q))))).toList();
    }
}
