package dev.tandem.coordinator.internal.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.testing.TestDatabase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The number of workers of a running backfill is changed through its control: raised, new workers start and lease
 * ranges of their own; lowered, the ones above the number end after their batch and give their ranges up.
 */
class BackfillWorkersControlTest {
    private static final int ROWS = 10_000;

    @Test
    void workersAreAddedAndRetiredWhileTheBackfillRuns() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Items.create(db, Items.COMPOSITE_KEY, ROWS);
            // slow enough to be steered: ranges of 1,000 rows, batches of 100, 400 rows per second for the process
            Tandem backfilling = Tandem.create(db.pool(null, 5), BackfillTest.config(step -> { }).rangeRows(1_000)
                    .batchSize(100).batchSizeBounds(100, 100).maxRate(400).workers(1).build());
            Tandem control = db.tandem();
            control.expand(Items.migration());
            CompletableFuture<PhaseResult> run = CompletableFuture.supplyAsync(() -> backfilling.backfill(
                    "label_items", BackfillListener.NONE));

            awaitLeases(control, leases -> leases == 1);
            assertThat(control.control("label_items", c -> c.withWorkers(3)).workers()).isEqualTo(3);
            awaitLeases(control, leases -> leases == 3);
            control.control("label_items", c -> c.withWorkers(1));
            awaitLeases(control, leases -> leases == 1);

            control.control("label_items", c -> c.withMaxRate(0L));
            assertThat(run.get(2, TimeUnit.MINUTES).rows()).isEqualTo(ROWS);
            assertThat(Items.wrongRows(db)).isZero();
            assertThat(control.status().get(0).backfillControl())
                    .isEqualTo(new BackfillControl(false, 0L, 1, control.status().get(0).backfillControl()
                            .changedAt()));
            assertThat(control.status().get(0).history()).extracting(h -> h.event() + ": " + h.detail())
                    .filteredOn(e -> e.startsWith("backfill "))
                    .hasSize(3).allMatch(e -> e.contains("(from "))
                    .anyMatch(e -> e.startsWith("backfill workers: 3 per process"))
                    .anyMatch(e -> e.startsWith("backfill max rate: no limit"));
        }
    }

    /** Waits until the number of ranges leased by a live worker is one {@code wanted} accepts. */
    private static void awaitLeases(Tandem tandem, IntPredicate wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int leases = -1;
        while (System.nanoTime() < deadline) {
            leases = tandem.status().get(0).backfill().stream().mapToInt(BackfillProgress::activeLeases).sum();
            if (wanted.test(leases)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("ranges leased: " + leases);
    }
}
