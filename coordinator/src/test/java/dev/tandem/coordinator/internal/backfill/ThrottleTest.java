package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.BackfillListener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The backfill waits while the database is busier than its limits, and keeps to its maximum rate. */
class ThrottleTest {
    private static final int ROWS = 6_000;
    private static final int BUSY_SESSIONS = 3;

    private final ExecutorService threads = Executors.newFixedThreadPool(BUSY_SESSIONS);
    private final List<Statement> busy = new ArrayList<>();

    @AfterEach
    void stopThreads() {
        cancelBusySessions();
        threads.shutdownNow();
    }

    @Test
    void aLimitAboveTheActiveSessionsNeverPauses() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            List<String> pauses = new ArrayList<>();
            backfillWhileBusy(db, BUSY_SESSIONS + 1, pauses::add);

            assertThat(pauses).isEmpty();
            assertThat(progress(db).pausedMillis()).isZero();
            assertThat(Items.wrongRows(db)).isZero();
        }
    }

    @Test
    void aLimitBelowTheActiveSessionsPausesUntilTheyEnd() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            List<String> pauses = new ArrayList<>();
            backfillWhileBusy(db, BUSY_SESSIONS - 1, reason -> {
                pauses.add(reason);
                cancelBusySessions(); // the sessions end only once the backfill has paused for them
            });

            assertThat(pauses).containsExactly(BUSY_SESSIONS + " active sessions, more than the limit of "
                    + (BUSY_SESSIONS - 1));
            assertThat(progress(db).pausedMillis()).isPositive();
            assertThat(Items.wrongRows(db)).isZero();
        }
    }

    @Test
    void theMaximumRateMakesWorkersWait() {
        try (TestDatabase db = TestDatabase.create()) {
            Items.create(db, Items.COMPOSITE_KEY, ROWS);
            Tandem tandem = db.tandem(BackfillTest.config(step -> { }).maxRate(ROWS / 2).build());
            tandem.expand(Items.migration());
            tandem.backfill("label_items", BackfillListener.NONE);

            assertThat(progress(db).pausedMillis()).isPositive();
            assertThat(Items.wrongRows(db)).isZero();
        }
    }

    @Test
    void theMaximumRateHoldsFromTheFirstBatchAndEarnsNoCredit() {
        long[] now = {0};
        Throttle throttle = new Throttle(null, TandemConfig.builder().maxRate(20_000).build(), null, () -> now[0]);

        now[0] = 10_000_000L; // the first batch, 1000 rows, took 10 ms: they are 50 ms at 20000 rows/s
        assertThat(throttle.paceNanos(1000)).isEqualTo(40_000_000L);
        now[0] = 5_050_000_000L; // a slow spell of 5 s
        assertThat(throttle.paceNanos(1000)).isZero();
        now[0] += 1_000_000L; // the next batch does not catch up on the slow spell
        assertThat(throttle.paceNanos(1000)).isEqualTo(49_000_000L);
    }

    /** {@code migrate control --max-rate}: the new rate counts from the change, without the old one's debt. */
    @Test
    void aRateChangedWhileRunningCountsFromTheChange() {
        long[] now = {0};
        Throttle throttle = new Throttle(null, TandemConfig.builder().maxRate(20_000).build(), null, () -> now[0]);
        now[0] = 10_000_000L;
        assertThat(throttle.paceNanos(1000)).isEqualTo(40_000_000L);

        throttle.maxRate(1000); // at 1000 rows/s the 1000 rows above would owe almost a second more
        assertThat(throttle.paceNanos(100)).isEqualTo(100_000_000L);
        throttle.maxRate(0);
        assertThat(throttle.paceNanos(1_000_000)).isZero();

        BatchSizer sizer = sizer(TandemConfig.builder().batchSize(1000).build());
        sizer.maxRate(500);
        assertThat(sizer.size()).isEqualTo(250);
        sizer.maxRate(0);
        sizer.observe(1_000_000L);
        assertThat(sizer.size()).isEqualTo(2000); // free again, and still ramping up: 8x, as a first batch would
    }

    @Test
    void noBatchHoldsMoreRowsThanTheRateAllowsInOneTargetDuration() {
        // 500 rows/s and batches of 500 ms: at most 250 rows a batch
        BatchSizer sizer = sizer(TandemConfig.builder().maxRate(500).batchSize(1000).build());
        assertThat(sizer.size()).isEqualTo(250);
        sizer.observe(1_000_000L);
        assertThat(sizer.size()).isEqualTo(250);

        assertThat(sizer(TandemConfig.builder().maxRate(1).batchSizeBounds(10, 100).batchSize(50).build())
                .size()).isEqualTo(10);
    }

    @Test
    void theFirstBatchesGrowFastUntilOneTakesHalfTheTargetThenAtMostDouble() {
        BatchSizer sizer = sizer(TandemConfig.builder().batchSize(1000).build()); // target 500 ms
        sizer.observe(10_000_000L); // 1000 rows in 10 ms predict 50,000: eightfold at most while ramping up
        assertThat(sizer.size()).isEqualTo(8_000);
        sizer.observe(40_000_000L); // 8000 rows in 40 ms predict 100,000
        assertThat(sizer.size()).isEqualTo(64_000);
        sizer.observe(300_000_000L); // past half the target: the ramp is over, 106,666 predicted
        assertThat(sizer.size()).isEqualTo(106_666);
        sizer.observe(50_000_000L); // then at most double, however fast
        assertThat(sizer.size()).isEqualTo(200_000);
    }

    @Test
    void aBatchThatMetTheStatementTimeoutEndsTheRampUp() {
        BatchSizer sizer = sizer(TandemConfig.builder().batchSize(1000).build());
        assertThat(sizer.shrink()).isTrue();
        sizer.observe(1_000_000L);
        assertThat(sizer.size()).isEqualTo(1_000);
    }

    /** A table copy's batches aim at a quarter of the target: each holds up every write to the table. */
    @Test
    void aTableCopysBatchesAimAtAQuarterOfTheTarget() {
        TandemConfig config = TandemConfig.builder().build();
        List<BackfillTarget.KeyColumn> key = List.of(new BackfillTarget.KeyColumn("id", "bigint"));
        assertThat(BatchSizer.target(config, new BackfillTarget("items", key, List.of())))
                .isEqualTo(Duration.ofMillis(500));
        assertThat(BatchSizer.target(config, BackfillTarget.inCopy("items", key, List.of(), "_tandem_new_items",
                true)))
                .isEqualTo(Duration.ofMillis(125));
    }

    /** A sizer aiming at the configured target, as for an in-place backfill. */
    private static BatchSizer sizer(TandemConfig config) {
        return new BatchSizer(config, config.targetBatchDuration());
    }

    private interface PauseListener {
        void paused(String reason);
    }

    private void backfillWhileBusy(TestDatabase db, int limit, PauseListener pauses) throws Exception {
        Items.create(db, Items.COMPOSITE_KEY, ROWS);
        TandemConfig config = BackfillTest.config(step -> { }).maxActiveSessions(limit)
                .throttleInterval(Duration.ofMillis(50)).build();
        Tandem tandem = db.tandem(config);
        tandem.expand(Items.migration());
        for (int i = 0; i < BUSY_SESSIONS; i++) {
            Connection c = db.connect();
            Statement s = c.createStatement();
            synchronized (busy) {
                busy.add(s);
            }
            threads.submit(() -> {
                try (c; s) {
                    s.execute("SELECT pg_sleep(60)");
                }
                return null;
            });
        }
        while (!db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE"
                + " 'SELECT pg_sleep%' AND state = 'active'").equals(String.valueOf(BUSY_SESSIONS))) {
            Thread.sleep(10);
        }
        tandem.backfill("label_items", new BackfillListener() {
            @Override
            public void batchDone(BackfillProgress progress) {
            }

            @Override
            public void paused(String table, String reason) {
                pauses.paused(reason);
            }
        });
    }

    private void cancelBusySessions() {
        synchronized (busy) {
            for (Statement s : busy) {
                try {
                    s.cancel();
                } catch (SQLException e) {
                    // already ended
                }
            }
        }
    }

    private static BackfillProgress progress(TestDatabase db) {
        return db.tandem().status().get(0).backfill().get(0);
    }
}
