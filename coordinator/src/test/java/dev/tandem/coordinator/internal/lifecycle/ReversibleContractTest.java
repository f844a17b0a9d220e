package dev.tandem.coordinator.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.SimulatedCrash;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import dev.tandem.coordinator.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.TestTemplate;

/**
 * contract --keep, revert and purge on both databases, with product_listing (a type change with up and down, a
 * rename, a required unique column and a foreign key) after a first complete migration, so the old version runs on
 * views of its own.
 */
@BothDatabases
class ReversibleContractTest {
    private static final String FIRST = "order_gift_note";
    private static final String LISTING = "product_listing";

    @TestTemplate
    void revertBringsTheOldVersionBackWithEveryWriteTheNewVersionMadeMeanwhile(OnDatabase on) throws Exception {
        on.postgres(pg -> revertShowsTheNewVersionsWrites(pg, pg.tandem(), () -> pg.execute(Examples.shop()),
                v -> v + ", public"));
        on.mariaDb(maria -> revertShowsTheNewVersionsWrites(maria, maria.tandem(),
                () -> maria.execute(Examples.schema("shop-mariadb.sql")), v -> v));
    }

    @TestTemplate
    void purgeLeavesTheCatalogOfAPlainContract(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            try (TestDatabase plain = TestDatabase.create()) {
                contractPlainly(plain.tandem(), () -> plain.execute(Examples.shop()));
                keepRevertKeepAndPurge(pg, pg.tandem(), () -> pg.execute(Examples.shop()), v -> v + ", public");
                assertThat(Catalog.dump(pg)).isNotEmpty().containsExactlyElementsOf(Catalog.dump(plain));
            }
        });
        on.mariaDb(maria -> {
            try (MariaDbTestDatabase plain = MariaDbTestDatabase.create()) {
                contractPlainly(plain.tandem(), () -> plain.execute(Examples.schema("shop-mariadb.sql")));
                keepRevertKeepAndPurge(maria, maria.tandem(), () -> maria.execute(Examples.schema("shop-mariadb.sql")),
                        v -> v);
                assertThat(catalog(maria)).isNotEmpty().containsExactlyElementsOf(catalog(plain));
            }
        });
    }

    @TestTemplate
    void keepAndRevertContinueAfterACrashAfterAnyStep(OnDatabase on) throws Exception {
        on.postgres(pg -> crashAndContinue(pg, pg.tandem(), crash -> pg.tandem(TandemConfig.builder().afterStep(crash)
                .build()), () -> pg.execute(Examples.shop()), v -> v + ", public"));
        on.mariaDb(maria -> crashAndContinue(maria, maria.tandem(), crash -> maria.tandem(TandemConfig.builder()
                .schema(maria.name()).afterStep(crash)), () -> maria.execute(Examples.schema("shop-mariadb.sql")),
                v -> v));
    }

    @TestTemplate
    void anInterruptedPurgeCanOnlyBeFinished(OnDatabase on) throws Exception {
        on.postgres(pg -> interruptedPurge(pg.tandem(), crash -> pg.tandem(TandemConfig.builder().afterStep(crash)
                .build()), () -> pg.execute(Examples.shop())));
        on.mariaDb(maria -> interruptedPurge(maria.tandem(), crash -> maria.tandem(TandemConfig.builder()
                .schema(maria.name()).afterStep(crash)), () -> maria.execute(Examples.schema("shop-mariadb.sql"))));
    }

    private static void interruptedPurge(Tandem tandem, Function<Consumer<String>, Tandem> crashing, Runnable shop) {
        expandListing(tandem, shop);
        tandem.contractKeeping(LISTING, InstanceCheck.ENFORCE);
        SimulatedCrash.EachStep purge = new SimulatedCrash.EachStep("contract");
        Tandem purging = crashing.apply(purge);
        List<String> refusals = new ArrayList<>();
        purge.untilDone(() -> purging.purge(LISTING, InstanceCheck.ENFORCE), step -> {
            assertThat(status(tandem).phase()).isEqualTo("contracting");
            assertThatThrownBy(() -> tandem.revert(LISTING)).isInstanceOf(StateConflictException.class);
            refusals.add(catchThrowableOfType(StateConflictException.class, () -> tandem.rollback(LISTING))
                    .getMessage());
        });
        assertThat(refusals).isNotEmpty().first().asString().contains("is being purged after contract --keep, which "
                + "dropped the old version's views; finish it with purge");
        assertThat(status(tandem).phase()).isEqualTo("complete");
    }

    private static void crashAndContinue(StatementsAsVersion db, Tandem tandem,
                                         Function<Consumer<String>, Tandem> crashing, Runnable shop,
                                         UnaryOperator<String> connectAs) {
        MigrationStatus listing = expandListing(tandem, shop);
        String oldVersion = connectAs.apply(listing.previousVersionSchema());
        String newVersion = connectAs.apply(listing.versionSchema());

        SimulatedCrash.EachStep keep = new SimulatedCrash.EachStep("keep");
        Tandem keeping = crashing.apply(keep);
        assertThat(keep.untilDone(() -> keeping.contractKeeping(LISTING, InstanceCheck.ENFORCE),
                step -> assertThat(status(tandem).phase()).isEqualTo("contracted_kept"))).isNotEmpty();
        assertThat(schemaExists(db, listing.previousVersionSchema())).isFalse();

        SimulatedCrash.EachStep revert = new SimulatedCrash.EachStep("revert");
        Tandem reverting = crashing.apply(revert);
        List<String> crashes = revert.untilDone(() -> reverting.revert(LISTING), step -> {
            assertThat(status(tandem).phase()).isEqualTo("contracted_kept");
            db.executeIn(newVersion, "UPDATE products SET title = '" + step + "' WHERE id = 3");
        });
        assertThat(crashes).isNotEmpty();
        assertThat(status(tandem).phase()).isEqualTo("expanded");
        assertThat(db.value(oldVersion, "SELECT title FROM products WHERE id = 3"))
                .isEqualTo(crashes.get(crashes.size() - 1));
        assertThat(db.value(oldVersion, "SELECT COUNT(*) FROM products")).isEqualTo("50");
    }

    private static void revertShowsTheNewVersionsWrites(StatementsAsVersion db, Tandem tandem,
                                                        Runnable shop, UnaryOperator<String> connectAs) {
        MigrationStatus listing = expandListing(tandem, shop);
        String oldVersion = connectAs.apply(listing.previousVersionSchema());
        String newVersion = connectAs.apply(listing.versionSchema());

        assertThat(tandem.contractKeeping(LISTING, InstanceCheck.ENFORCE).phase()).isEqualTo("contracted_kept");
        assertThat(status(tandem).phase()).isEqualTo("contracted_kept");
        assertThat(schemaExists(db, listing.previousVersionSchema())).isFalse();
        assertThat(tandem.contractKeeping(LISTING, InstanceCheck.ENFORCE).outcome()).isEqualTo("contracted, old shape kept");
        assertThat(tandem.contract(LISTING).phase()).isEqualTo("contracted_kept");
        assertThatThrownBy(() -> tandem.rollback(LISTING)).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("revert it first");

        db.executeIn(newVersion, "INSERT INTO products (sku, title, price_cents, code) VALUES ('SKU-new', 'New', 1999,"
                + " 'P-new')");
        db.executeIn(newVersion, "UPDATE products SET price_cents = 250, title = 'Changed' WHERE id = 1");
        db.executeIn(newVersion, "UPDATE products SET code = 'P-renamed' WHERE id = 2");

        assertThat(tandem.revert(LISTING).phase()).isEqualTo("expanded");
        assertThat(status(tandem).phase()).isEqualTo("expanded");
        assertThat(db.rows(oldVersion, "SELECT sku, title, price FROM products WHERE id = 1 OR sku = 'SKU-new' "
                + "ORDER BY id")).containsExactly("SKU-1|Changed|2.50", "SKU-new|New|19.99");
        assertThat(db.value(oldVersion, "SELECT COUNT(*) FROM products")).isEqualTo("51");

        db.executeIn(oldVersion, "UPDATE products SET price = 3.00 WHERE id = 1");
        db.executeIn(oldVersion, "INSERT INTO products (sku, title, price) VALUES ('SKU-old', 'Old', 4.25)");
        assertThat(db.rows(newVersion, "SELECT price_cents, code FROM products WHERE id = 1 OR sku = 'SKU-old' "
                + "ORDER BY id")).containsExactly("300|P-SKU-1", "425|P-SKU-old");

        assertThat(tandem.contract(LISTING).phase()).isEqualTo("complete");
        assertThat(db.rows(newVersion, "SELECT price_cents, title, code FROM products WHERE id IN (1, 2) ORDER BY id"))
                .containsExactly("300|Changed|P-SKU-1", "250|Product 2|P-renamed");
        assertThat(status(tandem).history()).extracting(e -> e.event()).containsSubsequence("keep started", "kept",
                "reverted", "contract started", "complete");
    }

    private static void keepRevertKeepAndPurge(StatementsAsVersion db, Tandem tandem, Runnable shop,
                                               UnaryOperator<String> connectAs) {
        MigrationStatus listing = expandListing(tandem, shop);
        String newVersion = connectAs.apply(listing.versionSchema());
        tandem.contractKeeping(LISTING, InstanceCheck.ENFORCE);
        assertThatThrownBy(() -> tandem.revert(FIRST)).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("only a contract run with --keep can be reverted");
        tandem.revert(LISTING);
        tandem.contractKeeping(LISTING, InstanceCheck.ENFORCE);
        assertThat(schemaExists(db, listing.previousVersionSchema())).isFalse();
        db.executeIn(newVersion, "UPDATE products SET price_cents = 250 WHERE id = 1");

        assertThat(tandem.purge(LISTING, InstanceCheck.ENFORCE).phase()).isEqualTo("complete");
        assertThat(tandem.purge(LISTING, InstanceCheck.ENFORCE).outcome()).isEqualTo("already complete");
        assertThat(db.value(newVersion, "SELECT price_cents FROM products WHERE id = 1")).isEqualTo("250");
    }

    private static void contractPlainly(Tandem tandem, Runnable shop) {
        expandListing(tandem, shop);
        assertThatThrownBy(() -> tandem.purge(LISTING, InstanceCheck.ENFORCE)).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("purge finishes a contract kept with contract --keep");
        tandem.contract(LISTING);
    }

    /** The shop, a first migration completed, then product_listing expanded and backfilled. */
    private static MigrationStatus expandListing(Tandem tandem, Runnable shop) {
        shop.run();
        tandem.expand(Examples.inline(FIRST,
                "add_column: {table: orders, column: {name: gift_note, type: varchar(100)}}"));
        tandem.contract(FIRST);
        tandem.expand(Examples.migration(LISTING + ".yaml"));
        tandem.backfill(LISTING, BackfillListener.NONE);
        return status(tandem);
    }

    private static MigrationStatus status(Tandem tandem) {
        return tandem.status().stream().filter(s -> s.name().equals(LISTING)).findFirst().orElseThrow();
    }

    private static boolean schemaExists(StatementsAsVersion db, String schema) {
        return !db.value("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '" + schema + "'")
                .equals("0");
    }

    /** MariaDB's catalog with the test database's own name left out, to compare two databases. */
    private static List<String> catalog(MariaDbTestDatabase db) {
        return Catalog.dump(db).stream().map(line -> line.replace(db.name(), "<database>")).toList();
    }
}
