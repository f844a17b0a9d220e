package dev.tandem.coordinator.internal.ddl;

/**
 * The rows whose key lies after {@code lower} (exclusive) up to {@code upper} (inclusive). Keys are JSON arrays of
 * the key columns' text forms, as the backfill's checkpoints keep them; a null bound leaves that side open.
 */
public record KeyRange(String lower, String upper) {

    /** Whether the range starts at the table's first row. */
    public boolean fromStart() {
        return lower == null;
    }

    /** Whether the range runs to the table's last row. */
    public boolean toEnd() {
        return upper == null;
    }
}
