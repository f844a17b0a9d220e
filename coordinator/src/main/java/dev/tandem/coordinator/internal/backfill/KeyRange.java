package dev.tandem.coordinator.internal.backfill;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The rows whose key lies after {@code lower} (exclusive) up to {@code upper} (inclusive). Keys are JSON arrays of
 * the key columns' text forms, as {@link Keys} reads them; a null bound leaves that side open.
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

    /** Binds the lower bound's key values, then the upper's, from parameter {@code first} on; returns the next one. */
    int bind(PreparedStatement statement, int first) throws SQLException {
        return Keys.bind(statement, Keys.bind(statement, first, lower), upper);
    }
}
