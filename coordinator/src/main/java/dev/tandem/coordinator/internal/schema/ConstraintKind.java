package dev.tandem.coordinator.internal.schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a constraint of the catalog is. Stored in catalog snapshots by PostgreSQL's one-letter code
 * ({@code pg_constraint.contype}), which the MariaDB catalog reader uses as well, so snapshots recorded by any
 * build read the same.
 */
public enum ConstraintKind {
    CHECK("c"),
    FOREIGN_KEY("f"),
    PRIMARY_KEY("p"),
    UNIQUE("u"),
    /** PostgreSQL: a constraint trigger. */
    TRIGGER("t"),
    /** PostgreSQL: an exclusion constraint. */
    EXCLUSION("x"),
    /** PostgreSQL 18 and later: a NOT NULL constraint with a name of its own. */
    NOT_NULL("n");

    private final String code;

    ConstraintKind(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static ConstraintKind of(String code) {
        for (ConstraintKind kind : values()) {
            if (kind.code.equals(code)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown constraint kind '" + code + "'");
    }
}
