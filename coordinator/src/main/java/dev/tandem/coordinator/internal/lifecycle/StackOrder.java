package dev.tandem.coordinator.internal.lifecycle;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.internal.engine.PlanBuilder;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The order of stacked migrations that change a table in common: contract goes up the stack (the one below first),
 * rollback down it (the one on top first). Migrations that share no table contract and roll back in any order.
 */
final class StackOrder {
    private StackOrder() {
    }

    /**
     * The migrations in flight that must contract (or roll back) before {@code name}, in the order they must: what
     * {@code --cascade} runs first.
     */
    static List<String> before(Run run, String name, boolean contract) throws SQLException {
        Stack stack = Stack.of(run);
        MigrationRecord record = run.require(name);
        if (!Stack.inFlight(record)) {
            return List.of();
        }
        Set<String> order = new LinkedHashSet<>();
        collect(stack, record, contract, order);
        return List.copyOf(order);
    }

    private static void collect(Stack stack, MigrationRecord record, boolean contract, Set<String> order) {
        List<MigrationRecord> others = new ArrayList<>(contract ? stack.below(record) : stack.above(record));
        if (!contract) {
            Collections.reverse(others);
        }
        for (MigrationRecord other : others) {
            if (!order.contains(other.name()) && stack.plan(other).overlaps(stack.plan(record))) {
                collect(stack, other, contract, order);
                order.add(other.name());
            }
        }
    }

    /** Refuses the contract (or rollback) of {@code record} while a migration must run it first, naming it. */
    static void require(Run run, MigrationRecord record, boolean contract) throws SQLException {
        Stack stack = Stack.of(run);
        for (MigrationRecord above : stack.above(record)) {
            if (above.phase() == Phase.EXPANDING || above.phase() == Phase.ROLLING_BACK) {
                throw new StateConflictException("migration '" + above.name() + "', stacked on '" + record.name()
                        + "', is " + above.phase().label() + "; run " + (above.phase() == Phase.EXPANDING ? "expand"
                        : "rollback") + " of '" + above.name() + "' again to finish it before the "
                        + (contract ? "contract" : "rollback") + " of '" + record.name() + "'");
            }
        }
        List<String> first = before(run, record.name(), contract);
        if (first.isEmpty()) {
            return;
        }
        String next = first.get(0);
        PlanBuilder plan = stack.plan(record);
        List<String> shared = stack.plan(run.require(next)).touchedTables().stream()
                .filter(plan.touchedTables()::contains).sorted().toList();
        String tables = shared.isEmpty() ? "changes tables in common with it"
                : "changes " + (shared.size() == 1 ? "table " : "tables ") + String.join(", ", shared) + " as well";
        if (contract) {
            throw new StateConflictException("migration '" + record.name() + "' is stacked on '" + next + "', which "
                    + tables + " and is still in flight: contract '" + next + "' first (stacked migrations that "
                    + "change the same tables contract in the order they were expanded), or contract '"
                    + record.name() + "' with --cascade to contract " + String.join(", then ", first) + " before it");
        }
        throw new StateConflictException("migration '" + next + "' is stacked on '" + record.name() + "' and "
                + tables + ": roll back '" + next + "' first (stacked migrations that change the same tables roll "
                + "back in the reverse order of their expand), or roll back '" + record.name() + "' with --cascade to "
                + "roll back " + String.join(", then ", first) + " before it");
    }
}
