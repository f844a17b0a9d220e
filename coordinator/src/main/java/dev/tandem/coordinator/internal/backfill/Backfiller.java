package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.BatchStatements;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.state.StateStore;
import dev.tandem.coordinator.state.BackfillProgress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Fills new and shadow columns of existing rows, table by table. Each table's key space is split into ranges
 * once, up front, from a sample of its keys; workers (here and in any other process running the backfill)
 * lease ranges and fill them in key-ordered batches whose size adapts to a target duration. A batch and its
 * checkpoint commit together, so after a crash the next run continues after the last committed batch and
 * the result is the same as an uninterrupted run. Rows are never read into the JVM: each batch is one
 * server-side UPDATE over a key range.
 */
public final class Backfiller {
    private final Dialect dialect;
    private final BatchStatements sql;
    private final StateStore state;
    private final TandemConfig config;
    private final DataSource dataSource;
    private final Connection connection;
    private final String migration;
    private final String owner = ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);

    /**
     * @param connection the connection of the first worker (the one holding the run lock); other workers take
     *                   their own from {@code dataSource}
     */
    public Backfiller(Dialect dialect, BatchStatements sql, StateStore state, TandemConfig config,
                      DataSource dataSource, Connection connection, String migration) {
        this.dialect = dialect;
        this.sql = sql;
        this.state = state;
        this.config = config;
        this.dataSource = dataSource;
        this.connection = connection;
        this.migration = migration;
    }

    /** Backfills every target to the end; returns the rows this process updated. */
    public long run(List<BackfillTarget> targets, BackfillListener listener) throws SQLException {
        long updated = 0;
        // threads as the workers need them, which migrate control may change while they run
        ExecutorService threads = Executors.newCachedThreadPool();
        Steering steering = new Steering(state, config.schema(), migration, listener);
        try (ReplicaLag replicas = new ReplicaLag(sql, config)) {
            for (BackfillTarget target : targets) {
                plan(target);
                BackfillProgress start = progress(target);
                if (start.done()) {
                    continue;
                }
                TableRun run = new TableRun(dialect, sql, state, config, migration, target,
                        new TableProgress(listener, start), new Throttle(sql, config, replicas), steering, new AtomicBoolean(),
                        new AtomicInteger());
                new Crew(run, threads, dataSource, owner, config.workers()).work(connection);
                updated += run.progress().rowsFilled();
                listener.batchDone(progress(target));
            }
        } finally {
            threads.shutdownNow();
        }
        return updated;
    }

    private void plan(BackfillTarget target) throws SQLException {
        if (state.backfillPlanned(connection, config.schema(), migration, target.table())) {
            return;
        }
        RangePlanner planner = new RangePlanner(sql, config, connection);
        TableRef table = new TableRef(config.schema(), target.table());
        long estimate = RangePlanner.estimate(sql, connection, table);
        // A copy with an AUTO_INCREMENT column is one range, so no sample of its keys: every batch holds the copy's
        // AUTO_INCREMENT lock to its end, so a second worker's batches would only queue for it, and on two workers the
        // whole copy took twice as long (its waits reach the lock timeout and retry). Without one, batches overlap:
        // two workers copied 1M rows in 1.4-1.7 s against 2.6-2.7 s for one, here.
        state.planBackfill(connection, config.schema(), migration, target.table(), estimate,
                target.serialCopy() ? List.of() : planner.boundaries(table, target.key(), estimate));
    }

    private BackfillProgress progress(BackfillTarget target) throws SQLException {
        return state.backfill(connection, config.schema(), migration).stream()
                .filter(p -> p.table().equals(target.table())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the backfill of " + target.table() + " is not planned"));
    }
}
