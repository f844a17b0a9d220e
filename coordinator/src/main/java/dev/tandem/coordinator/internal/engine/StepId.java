package dev.tandem.coordinator.internal.engine;

import dev.tandem.coordinator.PhaseKind;
import java.util.Locale;

/**
 * One step of a phase plan, as the state tables record it once done: {@code expand/main} (the phase's
 * transaction), {@code contract/main/0} (one statement of it where DDL is not transactional),
 * {@code expand/before/2}, {@code rollback/after/0}. The text is stored, so its format never changes: a migration
 * in flight resumes from the steps an older build recorded.
 *
 * @param index the statement's position in its stage, or {@link #WHOLE} for the whole transaction
 */
public record StepId(PhaseKind phase, Stage stage, int index) {
    /** The index of a step that is the stage's whole transaction. */
    public static final int WHOLE = -1;

    public StepId {
        if (index < WHOLE) {
            throw new IllegalArgumentException("step index " + index);
        }
    }

    /** The stage's whole transaction. */
    public static StepId whole(PhaseKind phase, Stage stage) {
        return new StepId(phase, stage, WHOLE);
    }

    /** The {@code index}th statement of the stage, a step of its own. */
    public static StepId statement(PhaseKind phase, Stage stage, int index) {
        return new StepId(phase, stage, index);
    }

    public static StepId parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("not a step id: " + text);
        }
        return new StepId(PhaseKind.of(parts[0]), Stage.valueOf(parts[1].toUpperCase(Locale.ROOT)),
                parts.length == 2 ? WHOLE : Integer.parseInt(parts[2]));
    }

    public String format() {
        return phase.label() + "/" + stage.label() + (index == WHOLE ? "" : "/" + index);
    }

    @Override
    public String toString() {
        return format();
    }
}
