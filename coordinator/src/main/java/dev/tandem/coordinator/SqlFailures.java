package dev.tandem.coordinator;

import java.sql.SQLException;

/** How the database at hand tells its failures apart, for work done under {@link Tandem#underRunLock}. */
public interface SqlFailures {
    /** True for a failure worth retrying after a pause: lock timeout, deadlock, serialization failure. */
    boolean isRetryable(SQLException e);

    /** True when the failure comes from the migration's own text: unknown names, types, bad expressions. */
    boolean isBadInput(SQLException e);
}
