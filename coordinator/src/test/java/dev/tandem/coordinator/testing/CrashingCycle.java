package dev.tandem.coordinator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.Migration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A migration's life with a crash after every step: expand, rollback, expand again and contract, each stopped after
 * every one of its steps in turn ({@link SimulatedCrash.EachStep}) and run again until it ends. After each stop the
 * version that stays writes: the old one during expand and rollback, the new one during contract. Rollback must
 * return the exact catalog.
 */
public final class CrashingCycle {
    private CrashingCycle() {
    }

    /** One database's side of a crash test, on the shop schema. */
    @FunctionalInterface
    public interface OnShop {
        /**
         * @param tandemWith Tandem with the given after-step hook
         * @param path       the search path of a version's connections, given its schema of views
         */
        void run(StatementsAsVersion db, Function<Consumer<String>, Tandem> tandemWith, UnaryOperator<String> path,
                 Supplier<List<String>> catalog);
    }

    /** Runs {@code test} on the shop schema of each database {@code on} serves. */
    public static void onEachShop(OnDatabase on, OnShop test) throws Exception {
        on.postgres(pg -> {
            pg.execute(Examples.shop());
            test.run(pg, hook -> pg.tandem(TandemConfig.builder().afterStep(hook).build()), v -> v + ", public",
                    () -> Catalog.dump(pg));
        });
        on.mariaDb(maria -> {
            maria.execute(Examples.schema("shop-mariadb.sql"));
            test.run(maria, hook -> maria.tandem(TandemConfig.builder().schema(maria.name()).afterStep(hook)),
                    v -> v, () -> Catalog.dump(maria));
        });
    }

    /**
     * @param tandemWith    Tandem with the given after-step hook
     * @param oldVersion    writes of the old version, after each stop of expand and rollback
     * @param afterRollback puts the data back as the catalog check expects it, after the rollback
     * @param newVersion    writes of the new version (given its schema of views) after each stop of contract
     * @return the new version's schema of views (a database on MariaDB)
     */
    public static String run(Migration migration, Function<Consumer<String>, Tandem> tandemWith,
                             Supplier<List<String>> catalog, Runnable oldVersion, Runnable afterRollback,
                             Consumer<String> newVersion) {
        SimulatedCrash.EachStep[] crashes = new SimulatedCrash.EachStep[1];
        Tandem tandem = tandemWith.apply(step -> crashes[0].accept(step));
        List<String> before = catalog.get();

        crashes[0] = new SimulatedCrash.EachStep("expand");
        assertThat(crashes[0].untilDone(() -> tandem.expand(migration), step -> oldVersion.run())).isNotEmpty();
        crashes[0] = new SimulatedCrash.EachStep("rollback");
        crashes[0].untilDone(() -> tandem.rollback(migration.name()), step -> oldVersion.run());
        afterRollback.run();
        assertThat(catalog.get()).as("catalog after rollback").containsExactlyElementsOf(before);

        crashes[0] = new SimulatedCrash.EachStep("expand");
        crashes[0].untilDone(() -> tandem.expand(migration), step -> oldVersion.run());
        String version = tandem.status().get(0).versionSchema();
        tandem.backfill(migration.name(), BackfillListener.NONE);
        crashes[0] = new SimulatedCrash.EachStep("contract");
        crashes[0].untilDone(() -> tandem.contract(migration.name()), step -> newVersion.accept(version));
        assertThat(tandem.status().get(0).phase()).isEqualTo("complete");
        return version;
    }
}
