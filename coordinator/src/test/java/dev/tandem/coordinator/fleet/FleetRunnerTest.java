package dev.tandem.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.fleet.TargetResult.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The order a fleet run keeps, with work that does not touch its target (each target's pool connects only when
 * used): waves one after the other, at most the concurrency at once, and what a failure stops. MigrateFleetTest
 * runs real phases on real databases.
 */
class FleetRunnerTest {
    /** Wave a: a1; wave b: b1..b8 (b1 fails in the tests that fail); wave c: c1. Three at a time. */
    private static final Fleet FLEET = new Fleet("fleet.yaml", 3, List.of(wave("a", 1), wave("b", 8), wave("c", 1)));

    private static Fleet.Wave wave(String name, int size) {
        return new Fleet.Wave(name, IntStream.rangeClosed(1, size).mapToObj(i -> new FleetTarget(name + i, name,
                "jdbc:postgresql://127.0.0.1:1/" + name + i, name + i, null, null)).toList());
    }

    /** Each target's Tandem is configured with the target's name as its schema, so the work can tell them apart. */
    private static final FleetRunner RUNNER = new FleetRunner(FLEET, 1,
            (pool, schema) -> TandemConfig.builder().schema(schema).build());

    private static String target(Tandem tandem) {
        return tandem.config().schema();
    }

    private static List<String> outcomes(List<TargetResult<String>> results) {
        return results.stream().map(r -> r.target().name() + " " + r.outcome()).toList();
    }

    /**
     * b1 fails once b2 and b3 (started with it) are running; they wait until the runner has told of the failure,
     * then finish, and no other target starts unless the policy says so.
     */
    private static List<TargetResult<String>> runWithFailingB1(FleetRunner.Policy policy) {
        CountDownLatch othersRunning = new CountDownLatch(2);
        CountDownLatch failureTold = new CountDownLatch(1);
        Function<Tandem, String> work = tandem -> {
            String target = target(tandem);
            if (target.equals("b1")) {
                await(othersRunning);
                throw new DatabaseException("b1: could not take the lock");
            }
            if (target.equals("b2") || target.equals("b3")) {
                othersRunning.countDown();
                await(failureTold);
            }
            return target;
        };
        return RUNNER.run(work, policy, result -> {
            if (result.outcome() == Outcome.FAILED) {
                failureTold.countDown();
            }
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).as("the failure was told").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFailureStopsItsWaveAfterTheRunningTargetsAndEveryLaterWave() {
        List<TargetResult<String>> results = runWithFailingB1(FleetRunner.Policy.STOP);

        assertThat(outcomes(results)).containsExactly("a1 DONE", "b1 FAILED", "b2 DONE", "b3 DONE",
                "b4 NOT_STARTED", "b5 NOT_STARTED", "b6 NOT_STARTED", "b7 NOT_STARTED", "b8 NOT_STARTED",
                "c1 NOT_STARTED");
        assertThat(results.get(1).failure()).hasMessage("b1: could not take the lock");
    }

    @Test
    void keepGoingFinishesTheWaveButNoLaterWaveStarts() {
        assertThat(outcomes(runWithFailingB1(FleetRunner.Policy.KEEP_GOING))).containsExactly("a1 DONE",
                "b1 FAILED", "b2 DONE", "b3 DONE", "b4 DONE", "b5 DONE", "b6 DONE", "b7 DONE", "b8 DONE",
                "c1 NOT_STARTED");
    }

    @Test
    void readsReachEveryTarget() {
        assertThat(outcomes(runWithFailingB1(FleetRunner.Policy.ALL))).doesNotContain("c1 NOT_STARTED")
                .contains("c1 DONE", "b8 DONE");
    }

    @Test
    void wavesRunOneAfterTheOtherAtMostTheConcurrencyAtOnce() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<TargetResult<String>> results = RUNNER.run(tandem -> {
            String target = target(tandem);
            events.add("start " + target);
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            running.decrementAndGet();
            events.add("end " + target);
            return target;
        }, FleetRunner.Policy.STOP, result -> { });

        assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.DONE));
        assertThat(most.get()).isLessThanOrEqualTo(FLEET.concurrency());
        int lastEndOfB = IntStream.rangeClosed(1, 8).map(i -> events.indexOf("end b" + i)).max().orElseThrow();
        assertThat(events.indexOf("end a1")).isLessThan(events.indexOf("start b1"));
        assertThat(lastEndOfB).isLessThan(events.indexOf("start c1"));
    }
}
