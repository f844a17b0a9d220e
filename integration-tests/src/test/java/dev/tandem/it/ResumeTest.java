package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.SimulatedCrash;
import dev.tandem.coordinator.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A run killed between any two of its steps (simulated by throwing from the after-step hook, right after the
 * step committed) and then run again ends exactly where an uninterrupted run ends.
 */
class ResumeTest {
    /** Small enough that the backfill of the shop's 2500 orders takes several batches. */
    private static final int BATCH_SIZE = 1000;

    private final Migration migration = Shop.migration();

    /** The catalog and every row once the migration is complete, or rolled back. */
    private record Outcome(List<String> catalog, List<String> data) {
        static Outcome of(TestDatabase db) {
            return new Outcome(Catalog.dump(db), Shop.data(db));
        }
    }

    /** One phase command, run by the given Tandem. */
    private interface Phase {
        PhaseResult run(Tandem tandem, Migration migration);
    }

    private static final List<Phase> CYCLE = List.of(
            Tandem::expand,
            (tandem, migration) -> tandem.backfill(migration.name(), BackfillListener.NONE),
            (tandem, migration) -> tandem.contract(migration.name()));

    @TestFactory
    Stream<DynamicTest> aCrashAfterAnyStepOfTheCycleThenARerunEndsAsAnUninterruptedRun() {
        List<String> steps = new ArrayList<>();
        Outcome uninterrupted;
        try (TestDatabase db = TestDatabase.create()) {
            Shop.create(db, 0, 0);
            Tandem tandem = tandem(db, config(steps::add));
            CYCLE.forEach(phase -> phase.run(tandem, migration));
            uninterrupted = Outcome.of(db);
        }
        assertThat(steps).contains("expand/main", "expand/after/0", "contract/before/0", "contract/main")
                .filteredOn(step -> step.startsWith("backfill/")).hasSizeGreaterThan(2);
        return steps.stream().map(step -> DynamicTest.dynamicTest("crash after " + step, () -> {
            try (TestDatabase db = TestDatabase.create()) {
                Shop.create(db, 0, 0);
                runCycleCrashingAfter(db, step);
                Outcome resumed = Outcome.of(db);
                assertThat(resumed.catalog()).as("catalog").containsExactlyElementsOf(uninterrupted.catalog());
                assertThat(resumed.data()).as("data").containsExactlyElementsOf(uninterrupted.data());
            }
        }));
    }

    /** Runs the cycle; the phase that crashes is run again with a normal config, the rest follow normally. */
    private void runCycleCrashingAfter(TestDatabase db, String step) {
        Tandem crashing = tandem(db, crashingAfter(step));
        Tandem normal = tandem(db, config(s -> { }));
        boolean crashed = false;
        for (Phase phase : CYCLE) {
            if (crashed) {
                phase.run(normal, migration);
            } else {
                crashed = crashes(() -> phase.run(crashing, migration), step);
                if (crashed) {
                    phase.run(normal, migration);
                }
            }
        }
        assertThat(crashed).as("a crash after " + step).isTrue();
    }

    @TestFactory
    Stream<DynamicTest> aCrashInTheMiddleOfExpandOrRollbackThenARollbackRestoresTheCatalog() {
        List<String> steps = new ArrayList<>();
        try (TestDatabase db = TestDatabase.create()) {
            Shop.create(db, 0, 0);
            Tandem tandem = tandem(db, config(steps::add));
            tandem.expand(migration);
            tandem.rollback(migration.name());
        }
        assertThat(steps).contains("expand/main", "rollback/before/0", "rollback/main");
        return steps.stream().map(step -> DynamicTest.dynamicTest("crash after " + step, () -> {
            try (TestDatabase db = TestDatabase.create()) {
                Shop.create(db, 0, 0);
                Outcome before = Outcome.of(db);
                Tandem crashing = tandem(db, crashingAfter(step));
                Tandem normal = tandem(db, config(s -> { }));
                boolean crashedInExpand = crashes(() -> crashing.expand(migration), step);
                if (!crashedInExpand) {
                    assertThat(crashes(() -> crashing.rollback(migration.name()), step)).as("a crash after " + step)
                            .isTrue();
                }
                assertThat(normal.rollback(migration.name()).phase()).isEqualTo("rolled_back");
                Outcome after = Outcome.of(db);
                assertThat(after.catalog()).as("catalog").containsExactlyElementsOf(before.catalog());
                assertThat(after.data()).as("data").containsExactlyElementsOf(before.data());
            }
        }));
    }

    @Test
    void expandAndContractRunAgainAfterSuccessChangeNothing() {
        try (TestDatabase db = TestDatabase.create()) {
            Shop.create(db, 0, 0);
            Tandem tandem = tandem(db, config(s -> { }));
            tandem.expand(migration);
            Outcome expanded = Outcome.of(db);
            PhaseResult again = tandem.expand(migration);
            assertThat(again.outcome()).isEqualTo("already expanded");
            assertThat(again.statements()).isZero();
            assertThat(Outcome.of(db)).isEqualTo(expanded);

            tandem.backfill(migration.name(), BackfillListener.NONE);
            tandem.contract(migration.name());
            Outcome complete = Outcome.of(db);
            again = tandem.contract(migration.name());
            assertThat(again.outcome()).isEqualTo("already complete");
            assertThat(again.statements()).isZero();
            assertThat(tandem.expand(migration).statements()).isZero();
            assertThat(tandem.backfill(migration.name(), BackfillListener.NONE).rows()).isZero();
            assertThat(Outcome.of(db)).isEqualTo(complete);
            assertThat(tandem.status().get(0).phase()).isEqualTo("complete");
        }
    }

    /** Runs {@code run}; true when it stopped with the simulated crash after {@code step}, false when it ended. */
    private static boolean crashes(Runnable run, String step) {
        try {
            run.run();
            return false;
        } catch (SimulatedCrash crash) {
            assertThat(crash).hasMessage("simulated crash after " + step);
            return true;
        }
    }

    private static Tandem tandem(TestDatabase db, TandemConfig config) {
        return Tandem.create(db.pool(null, 1), config);
    }

    private static TandemConfig crashingAfter(String target) {
        return config(SimulatedCrash.after(target));
    }

    private static TandemConfig config(Consumer<String> afterStep) {
        return TandemConfig.builder().batchSize(BATCH_SIZE).afterStep(afterStep).build();
    }
}
