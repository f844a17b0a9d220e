package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two runs on one database at once: the run lock lets one through; the other waits or says who holds it. */
class ConcurrentRunsTest {
    private final Migration migration = Shop.migration();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private TestDatabase db;

    @BeforeEach
    void createShop() {
        db = TestDatabase.create();
        Shop.create(db, 0, 0);
    }

    @AfterEach
    void dropShop() {
        threads.shutdownNow();
        db.close();
    }

    @Test
    void twoExpandsStartedTogetherApplyTheMigrationOnce() throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<PhaseResult>> runs = List.of(
                threads.submit(() -> expandAfter(start, tandem(step -> { }))),
                threads.submit(() -> expandAfter(start, tandem(step -> { }))));

        List<String> outcomes = List.of(runs.get(0).get().outcome(), runs.get(1).get().outcome());
        assertThat(outcomes).containsExactlyInAnyOrder("expanded", "already expanded");
        assertAppliedOnce();
    }

    private PhaseResult expandAfter(CyclicBarrier start, Tandem tandem) throws Exception {
        start.await();
        return tandem.expand(migration);
    }

    @Test
    void aRunThatFindsTheLockHeldWaitsForItAndFindsTheWorkDone() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<PhaseResult> first = threads.submit(() -> tandem(pauseAfterFirstStep(holding, release)).expand(migration));
        holding.await();
        try (HikariDataSource pool = namedPool("second-run")) {
            Tandem second = Tandem.create(pool, TandemConfig.builder().runLockWait(Duration.ofSeconds(60)).build());
            Future<PhaseResult> waiting = threads.submit(() -> second.expand(migration));
            while (!triedTheRunLock("second-run")) {
                assertThat(waiting).as("the second run, which should wait for the lock").isNotDone();
                Thread.sleep(20);
            }
            assertThat(waiting).isNotDone();
            release.countDown();
            assertThat(first.get().outcome()).isEqualTo("expanded");
            PhaseResult result = waiting.get();
            assertThat(result.outcome()).isEqualTo("already expanded");
            assertThat(result.statements()).isZero();
        }
        assertAppliedOnce();
    }

    @Test
    void aRunThatFindsTheLockHeldForLongerThanItWaitsNamesTheHolder() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<PhaseResult> first = threads.submit(() -> tandem(pauseAfterFirstStep(holding, release)).expand(migration));
        holding.await();
        String holder = db.value("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND objid <> 0");
        Tandem second = Tandem.create(db.pool(null, 1),
                TandemConfig.builder().runLockWait(Duration.ofMillis(300)).build());
        try {
            assertThatThrownBy(() -> second.expand(migration)).isInstanceOf(StateConflictException.class)
                    .hasMessageContaining("another Tandem run holds the lock on schema 'public'")
                    .hasMessageContaining("(pid " + holder + ",");
        } finally {
            release.countDown();
        }
        assertThat(first.get().outcome()).isEqualTo("expanded");
        assertAppliedOnce();
    }

    @Test
    void aDifferentMigrationWaitsUntilTheOneInFlightIsExpanded() {
        Migration other = Examples.migration("add_column.yaml");
        Tandem tandem = tandem(step -> { });
        assertThatThrownBy(() -> tandem(crashAfter("expand/main")).expand(migration))
                .hasMessage("simulated crash");
        List<String> halfExpanded = Catalog.dump(db);
        assertThatThrownBy(() -> tandem.expand(other)).isInstanceOf(StateConflictException.class)
                .hasMessage("migration 'it_price_in_cents' is expanding on schema 'public'; a migration expands on "
                        + "top of the others once each is expanded: run expand of 'it_price_in_cents' again to finish "
                        + "it, or roll it back before expanding 'add_display_name'");
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(halfExpanded);

        tandem.expand(migration);
        assertThat(tandem.expand(other).outcome()).isEqualTo("expanded");
        assertThat(tandem.status()).extracting(s -> s.name() + " " + s.phase())
                .containsExactly("it_price_in_cents expanded", "add_display_name expanded");
    }

    private Tandem tandem(Consumer<String> afterStep) {
        return Tandem.create(db.pool(null, 1), TandemConfig.builder().afterStep(afterStep).build());
    }

    private static Consumer<String> pauseAfterFirstStep(CountDownLatch holding, CountDownLatch release) {
        return step -> {
            if (step.equals("expand/main")) {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static Consumer<String> crashAfter(String target) {
        return step -> {
            if (step.equals(target)) {
                throw new IllegalStateException("simulated crash");
            }
        };
    }

    private HikariDataSource namedPool(String applicationName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url());
        config.setMaximumPoolSize(1);
        config.addDataSourceProperty("ApplicationName", applicationName);
        return new HikariDataSource(config);
    }

    /** Whether a session of that application asked for Tandem's run lock (it polls, so its last query shows). */
    private boolean triedTheRunLock(String applicationName) {
        return !db.value("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName
                + "' AND query LIKE '%pg_try_advisory_lock%'").equals("0");
    }

    private void assertAppliedOnce() {
        assertThat(db.value("SELECT count(*) FROM tandem.history WHERE event = 'expand started'")).isEqualTo("1");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND column_name IN ('_tandem_price', 'shipped')")).isEqualTo("2");
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'public_it_price_in_cents'"))
                .isEqualTo("1");
        assertThat(Tandem.create(db.pool(null, 1), TandemConfig.builder().build()).status())
                .extracting(s -> s.name() + " " + s.phase()).containsExactly("it_price_in_cents expanded");
    }
}
