package dev.tandem.coordinator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.migration.Migration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The life of one migration, checked after every step: setup → expand → both versions work → rollback →
 * catalog exactly as before → expand → both versions work → backfill → both versions work → contract → final
 * checks. The same on every database: each says how to get Tandem and how to read its catalog.
 *
 * @param <D> the test database, which also runs statements as either version
 */
public final class Cycle<D extends StatementsAsVersion> {
    /**
     * A check run against the database; {@code newVersion} is the new version's schema of views (a database of
     * views on MariaDB).
     */
    @FunctionalInterface
    public interface Check<D> {
        void check(D db, String newVersion) throws Exception;
    }

    private final D db;
    private final Supplier<Tandem> tandem;
    private final Function<D, List<String>> catalog;
    private final List<String> setup = new ArrayList<>();
    private Migration migration;
    private Check<D> whileExpanded = (db, version) -> { };
    private Check<D> afterContract = (db, version) -> { };
    private Check<D> afterBackfill = (db, version) -> { };

    private Cycle(D db, Supplier<Tandem> tandem, Function<D, List<String>> catalog) {
        this.db = db;
        this.tandem = tandem;
        this.catalog = catalog;
    }

    /** A cycle on {@code db}, whose catalog {@code catalog} dumps as lines to compare. */
    public static <D extends StatementsAsVersion> Cycle<D> on(D db, Supplier<Tandem> tandem,
                                                             Function<D, List<String>> catalog) {
        return new Cycle<>(db, tandem, catalog);
    }

    /** A cycle on the shop schema of the examples, on PostgreSQL. */
    public static Cycle<TestDatabase> onShop(TestDatabase db) {
        return on(db, db::tandem, Catalog::dump).setup(Examples.shop());
    }

    /** A cycle on MariaDB; the test runs its setup. */
    public static Cycle<MariaDbTestDatabase> on(MariaDbTestDatabase db) {
        return on(db, db::tandem, Catalog::dump);
    }

    /**
     * A cycle on a small shop in MariaDB's SQL ({@link Examples#MARIADB_SHOP}), whose statements run at once so a
     * test can change it before the cycle runs.
     */
    public static Cycle<MariaDbTestDatabase> onMariaDbShop(MariaDbTestDatabase db) {
        db.execute(Examples.MARIADB_SHOP);
        return on(db);
    }

    /** A cycle on the examples' shop for MariaDB ({@code schema/shop-mariadb.sql}), for the example migrations. */
    public static Cycle<MariaDbTestDatabase> onMariaDbExampleShop(MariaDbTestDatabase db) {
        db.execute(Examples.schema("shop-mariadb.sql"));
        return on(db);
    }

    public Cycle<D> setup(String... sql) {
        setup.addAll(List.of(sql));
        return this;
    }

    public Cycle<D> migration(String exampleFile) {
        this.migration = Examples.migration(exampleFile);
        return this;
    }

    public Cycle<D> migration(Migration migration) {
        this.migration = migration;
        return this;
    }

    /** A migration of inline operations, one YAML flow mapping each. */
    public Cycle<D> inline(String name, String... operations) {
        this.migration = Examples.inline(name, operations);
        return this;
    }

    public Cycle<D> whileExpanded(Check<D> check) {
        this.whileExpanded = check;
        return this;
    }

    /** Runs once the backfill is complete, before contract: the dual-write window, both versions running. */
    public Cycle<D> afterBackfill(Check<D> check) {
        this.afterBackfill = check;
        return this;
    }

    public Cycle<D> afterContract(Check<D> check) {
        this.afterContract = check;
        return this;
    }

    /**
     * Instead of the cycle, after the setup: plan and expand both refuse the migration with an
     * {@link InvalidMigrationException} (exit code 2) whose message contains every fragment; the catalog is as
     * before and Tandem recorded nothing.
     */
    public void refused(String... fragments) {
        db.execute(setup.toArray(String[]::new));
        Tandem tandem = this.tandem.get();
        List<String> before = catalog.apply(db);
        for (Runnable attempt : List.<Runnable>of(() -> tandem.plan(migration), () -> tandem.expand(migration))) {
            var refusal = assertThatThrownBy(attempt::run).isInstanceOf(InvalidMigrationException.class);
            for (String fragment : fragments) {
                refusal.hasMessageContaining(fragment);
            }
        }
        assertThat(catalog.apply(db)).containsExactlyElementsOf(before);
        assertThat(tandem.status()).isEmpty();
    }

    public void run() throws Exception {
        db.execute(setup.toArray(String[]::new));
        Tandem tandem = this.tandem.get();
        List<String> before = catalog.apply(db);

        tandem.expand(migration);
        String version = tandem.status().get(0).versionSchema();
        whileExpanded.check(db, version);
        tandem.rollback(migration.name());
        assertThat(catalog.apply(db)).as("catalog after rollback").containsExactlyElementsOf(before);

        tandem.expand(migration);
        whileExpanded.check(db, version);
        tandem.backfill(migration.name(), BackfillListener.NONE);
        afterBackfill.check(db, version);
        tandem.contract(migration.name());
        assertThat(catalog.apply(db)).as("nothing of Tandem's dual-write machinery is left")
                .noneMatch(line -> line.startsWith("trigger ") && line.contains("_tandem_"))
                .noneMatch(line -> line.startsWith("function tandem."))
                .noneMatch(line -> line.contains("_tandem_"));
        afterContract.check(db, version);
    }
}
