package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.BackfillListener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Backfills of two processes (two Tandem instances, each with its own pool) share a table's key ranges. */
class ParallelBackfillTest {
    private static final int ROWS = 10_000;

    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void twoProcessesFillDisjointRangesAtOnceWhileContractWaits() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Items.create(db, Items.COMPOSITE_KEY, ROWS);
            db.tandem().expand(Items.migration());
            // both hold a lease at the same moment: each waits for the other and the test after its first batch
            CyclicBarrier together = new CyclicBarrier(3);
            CountDownLatch contractTried = new CountDownLatch(1);
            Future<Long> first = threads.submit(() -> process(db, together, contractTried).backfill("label_items",
                    BackfillListener.NONE).rows());
            Future<Long> second = threads.submit(() -> process(db, together, contractTried).backfill("label_items",
                    BackfillListener.NONE).rows());

            together.await(30, TimeUnit.SECONDS);
            Tandem contracting = db.tandem(BackfillTest.config(step -> { }).runLockWait(Duration.ZERO).build());
            try {
                contracting.contract("label_items");
                throw new AssertionError("contract ran during the backfill");
            } catch (StateConflictException e) {
                assertThat(e).hasMessageContaining("holds the lock");
            } finally {
                contractTried.countDown();
            }

            assertThat(first.get(60, TimeUnit.SECONDS) + second.get(60, TimeUnit.SECONDS)).isEqualTo(ROWS);
            assertThat(first.get()).isPositive();
            assertThat(second.get()).isPositive();
            assertThat(Items.wrongRows(db)).isZero();
            assertThat(db.value("SELECT count(DISTINCT split_part(owner, '/', 2)) FROM tandem.backfill_ranges"))
                    .isEqualTo("2");
            assertThat(contracting.contract("label_items").phase()).isEqualTo("complete");
        }
    }

    /**
     * Workers of one process that find no range left to lease while a sibling still fills one end with it, not a
     * poll later: with an hour between polls, the backfill would otherwise not end within the wait below.
     */
    @Test
    void idleWorkersEndWithTheirSiblingsLastRange() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Items.create(db, Items.COMPOSITE_KEY, ROWS);
            db.tandem().expand(Items.migration());
            Tandem fourWorkers = Tandem.create(db.pool(null, 4), BackfillTest.config(step -> { }).workers(4)
                    .throttleInterval(Duration.ofHours(1)).leaseDuration(Duration.ofHours(4)).build());

            Future<Long> rows = threads.submit(() -> fourWorkers.backfill("label_items", BackfillListener.NONE)
                    .rows());

            assertThat(rows.get(60, TimeUnit.SECONDS)).isEqualTo(ROWS);
            assertThat(Items.wrongRows(db)).isZero();
        }
    }

    /**
     * A worker stalls after its first batch (as a hung process would) while holding its lease; the lease
     * expires and the other process takes the range over and finishes it. When the stalled worker wakes up,
     * its next batch finds the lease gone and is rolled back, so no row is updated twice.
     */
    @Test
    void anExpiredLeaseIsTakenOver() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Items.create(db, Items.COMPOSITE_KEY, ROWS);
            db.tandem().expand(Items.migration());
            CountDownLatch stalled = new CountDownLatch(1);
            CountDownLatch wake = new CountDownLatch(1);
            AtomicBoolean once = new AtomicBoolean();
            Tandem hanging = Tandem.create(db.pool(null, 1), BackfillTest.config(step -> {
                if (once.compareAndSet(false, true)) {
                    stalled.countDown();
                    await(wake);
                }
            }).leaseDuration(Duration.ofSeconds(1)).batchStatementTimeout(Duration.ofMillis(500)).build());
            Future<Long> stalledRun = threads.submit(() -> hanging.backfill("label_items", BackfillListener.NONE)
                    .rows());
            assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();
            String stalledOwner = db.value("SELECT owner FROM tandem.backfill_ranges WHERE range_no = 0");

            Tandem other = Tandem.create(db.pool(null, 1), BackfillTest.config(step -> { }).build());
            long rows = other.backfill("label_items", BackfillListener.NONE).rows();

            assertThat(other.status().get(0).backfillComplete()).isTrue();
            assertThat(db.value("SELECT owner FROM tandem.backfill_ranges WHERE range_no = 0"))
                    .isNotEqualTo(stalledOwner);
            wake.countDown();
            long stalledRows = stalledRun.get(60, TimeUnit.SECONDS);
            assertThat(stalledRows + rows).isEqualTo(ROWS);
            assertThat(Items.wrongRows(db)).isZero();
        }
    }

    private static Tandem process(TestDatabase db, CyclicBarrier together, CountDownLatch contractTried) {
        AtomicBoolean first = new AtomicBoolean(true);
        return Tandem.create(db.pool(null, 1), BackfillTest.config(step -> {
            if (first.getAndSet(false)) {
                try {
                    together.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                await(contractTried);
            }
        }).build());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
