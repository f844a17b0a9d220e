package dev.tandem.coordinator;

import java.util.List;
import java.util.stream.Stream;

/**
 * The statements of one phase in the order they run: {@code before}, each on its own; {@code main}, in one
 * transaction; {@code after}, each on its own.
 */
public record PlannedPhase(PhaseKind phase, List<PlannedStatement> before, List<PlannedStatement> main,
                           List<PlannedStatement> after) {
    public PlannedPhase {
        before = List.copyOf(before);
        main = List.copyOf(main);
        after = List.copyOf(after);
    }

    public List<PlannedStatement> all() {
        return Stream.of(before, main, after).flatMap(List::stream).toList();
    }
}
