package dev.tandem.dualwrite.verify;

import dev.tandem.dualwrite.internal.DriftQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Compares the old and the new shape of data that a {@link dev.tandem.dualwrite.DualWriter} writes, key by key:
 * every key either shape has must be in both, with equal values ({@code IS NOT DISTINCT FROM}, so two NULLs are
 * equal). Reads in one snapshot; writes nothing.
 */
public final class DriftCheck {
    private final String schema;
    private final Shape oldShape;
    private final Shape newShape;

    /**
     * @param schema the schema of both tables (the physical tables, not a version's views)
     * @throws IllegalArgumentException when the shapes' keys or columns differ in number
     */
    public DriftCheck(String schema, Shape oldShape, Shape newShape) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.oldShape = Objects.requireNonNull(oldShape, "oldShape");
        this.newShape = Objects.requireNonNull(newShape, "newShape");
        if (oldShape.key().size() != newShape.key().size()) {
            throw new IllegalArgumentException("the old shape's key has " + oldShape.key().size() + " column(s), the "
                    + "new shape's " + newShape.key().size() + ": they are compared pairwise");
        }
        if (oldShape.columns().size() != newShape.columns().size()) {
            throw new IllegalArgumentException("the old shape has " + oldShape.columns().size() + " column(s) to "
                    + "compare, the new shape " + newShape.columns().size() + ": they are compared pairwise");
        }
    }

    /** @param limit how many drifted keys to return at most; all of them are counted */
    public DriftReport run(Connection connection, int limit) throws SQLException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, not " + limit);
        }
        return new DriftQuery(schema, oldShape, newShape).run(connection, limit);
    }
}
