package dev.tandem.coordinator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.backfill.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import java.util.ArrayList;
import java.util.List;

/**
 * The life of one migration, checked after every step: setup → expand → both versions work → rollback →
 * catalog exactly as before → expand → both versions work → backfill → contract → final checks.
 */
public final class Cycle {
    /** A check run against the database; {@code newVersion} is the new version's schema of views. */
    @FunctionalInterface
    public interface Check {
        void check(TestDatabase db, String newVersion) throws Exception;
    }

    private final TestDatabase db;
    private final List<String> setup = new ArrayList<>();
    private Migration migration;
    private Check whileExpanded = (db, version) -> { };
    private Check afterContract = (db, version) -> { };

    private Cycle(TestDatabase db) {
        this.db = db;
    }

    /** A cycle on the shop schema of the examples. */
    public static Cycle onShop(TestDatabase db) {
        Cycle cycle = new Cycle(db);
        cycle.setup.addAll(List.of(Examples.shop()));
        return cycle;
    }

    public Cycle setup(String... sql) {
        setup.addAll(List.of(sql));
        return this;
    }

    public Cycle migration(String exampleFile) {
        this.migration = Examples.migration(exampleFile);
        return this;
    }

    public Cycle migration(Migration migration) {
        this.migration = migration;
        return this;
    }

    public Cycle whileExpanded(Check check) {
        this.whileExpanded = check;
        return this;
    }

    public Cycle afterContract(Check check) {
        this.afterContract = check;
        return this;
    }

    public void run() throws Exception {
        db.execute(setup.toArray(String[]::new));
        Tandem tandem = db.tandem();
        List<String> before = Catalog.dump(db);

        tandem.expand(migration);
        String version = tandem.status().get(0).versionSchema();
        whileExpanded.check(db, version);
        tandem.rollback(migration.name());
        assertThat(Catalog.dump(db)).as("catalog after rollback").containsExactlyElementsOf(before);

        tandem.expand(migration);
        whileExpanded.check(db, version);
        tandem.backfill(migration.name(), BackfillListener.NONE);
        tandem.contract(migration.name());
        assertThat(Catalog.dump(db)).as("nothing of Tandem's dual-write machinery is left")
                .noneMatch(line -> line.startsWith("trigger ") && line.contains("_tandem_"))
                .noneMatch(line -> line.startsWith("function tandem."))
                .noneMatch(line -> line.contains("_tandem_"));
        afterContract.check(db, version);
    }
}
