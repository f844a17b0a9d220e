package dev.tandem.coordinator.internal.engine;

import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.PlannedPhase;
import dev.tandem.coordinator.PlannedStatement;
import java.util.List;

/**
 * The actions of one phase in the order they run: {@code before}, each on its own; {@code main}, in one
 * transaction; {@code after}, each on its own.
 */
public record PhasePlan(PhaseKind phase, List<Action> before, List<Action> main, List<Action> after) {
    public PhasePlan {
        before = List.copyOf(before);
        main = List.copyOf(main);
        after = List.copyOf(after);
    }

    public List<Action> all() {
        return java.util.stream.Stream.of(before, main, after).flatMap(List::stream).toList();
    }

    /** The plan as {@link dev.tandem.coordinator.PlanReport} shows it. */
    public PlannedPhase planned() {
        return new PlannedPhase(phase, planned(before), planned(main), planned(after));
    }

    private static List<PlannedStatement> planned(List<Action> actions) {
        return actions.stream().map(Action::planned).toList();
    }
}
