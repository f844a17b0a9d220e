package dev.tandem.dualwrite.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One key whose rows differ between the shapes.
 *
 * @param key       the key's values, as text, in the order of the old shape's key columns
 * @param oldValues the old shape's columns as text (null for NULL); empty when {@code kind} is {@link Kind#MISSING_IN_OLD}
 * @param newValues the new shape's columns as text; empty when {@code kind} is {@link Kind#MISSING_IN_NEW}
 */
public record Drift(List<String> key, Kind kind, List<String> oldValues, List<String> newValues) {
    public enum Kind {
        /** Both shapes have the key, with different values. */
        DIFFERENT,
        /** Only the old shape has the key. */
        MISSING_IN_NEW,
        /** Only the new shape has the key. */
        MISSING_IN_OLD
    }

    public Drift {
        key = List.copyOf(key);
        // values may be NULL, which List.copyOf refuses
        oldValues = Collections.unmodifiableList(new ArrayList<>(oldValues));
        newValues = Collections.unmodifiableList(new ArrayList<>(newValues));
    }
}
