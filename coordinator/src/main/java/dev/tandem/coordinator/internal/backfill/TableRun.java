package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.BatchStatements;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.state.StateStore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** What the workers on one table share. {@code stop} is set when one of them fails, so the others end too. */
record TableRun(Dialect dialect, BatchStatements sql, StateStore state, TandemConfig config, String migration,
                BackfillTarget target, TableProgress progress, Throttle throttle, Steering steering,
                AtomicBoolean stop, AtomicInteger activeWorkers) {

    TableRef table() {
        return new TableRef(config.schema(), target.table());
    }
}
