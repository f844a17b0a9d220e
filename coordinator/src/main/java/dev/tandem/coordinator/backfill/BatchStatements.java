package dev.tandem.coordinator.backfill;

import dev.tandem.coordinator.ddl.TableRef;
import dev.tandem.coordinator.engine.BackfillTarget;
import java.util.List;

/** The SQL of one backfill batch in a dialect. Key values travel as text and are cast to the key's types. */
public interface BatchStatements {

    /** Marks the current transaction as the backfill's, so sync triggers skip its writes. */
    String markTransaction();

    /** Sets the statement timeout of the current transaction, in milliseconds. */
    String statementTimeout(long millis);

    /** The table's estimated row count; one row, one column. */
    String estimate(TableRef table);

    /**
     * The key of the row {@code batch size} rows past the lower bound: parameters are the lower bound's key
     * values (when {@code fromStart} is false), then the batch size minus one.
     */
    String upperBound(TableRef table, List<BackfillTarget.KeyColumn> key, boolean fromStart);

    /**
     * Fills the target columns of rows in the key range that still need it: parameters are the lower bound's
     * key values (unless {@code fromStart}), then the upper bound's (unless {@code toEnd}).
     */
    String update(TableRef table, BackfillTarget target, boolean fromStart, boolean toEnd);
}
