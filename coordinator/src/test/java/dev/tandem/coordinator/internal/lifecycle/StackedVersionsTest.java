package dev.tandem.coordinator.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.SimulatedCrash;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import dev.tandem.coordinator.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.TestTemplate;

/**
 * Stacked versions: a migration expanded while another is in flight builds on its version, three application
 * versions write at once, and contract and rollback keep the order where the migrations share a table.
 */
@BothDatabases
class StackedVersionsTest {
    private static final String[] SETUP = {
        "CREATE TABLE items (id INT PRIMARY KEY, qty INT NOT NULL, price INT NOT NULL)",
        "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(100) NOT NULL)",
        "INSERT INTO items VALUES (1, 2, 3), (2, 4, 5)",
        "INSERT INTO notes VALUES (1, 'hello')"};
    /** Adds a column computed from two others, and renames one of them. */
    static final Migration TOTALS = Examples.inline("totals",
            "add_column: {table: items, column: {name: total, type: integer, nullable: true}, up: qty * price}",
            "rename_column: {table: items, from: price, to: unit_price}");
    /** Renames the column the migration below added. */
    static final Migration AMOUNTS = Examples.inline("amounts",
            "rename_column: {table: items, from: total, to: amount}");
    /** Shares no table with the others. */
    static final Migration AUTHORS = Examples.inline("authors",
            "add_column: {table: notes, column: {name: author, type: varchar(40), nullable: true}, up: \"'anonymous'\"}");

    @TestTemplate
    void threeVersionsWriteAndEachSeesEveryWriteInItsShape(OnDatabase on) throws Exception {
        on.postgres(pg -> threeVersions(pg, pg.tandem(), v -> v == null ? null : v + ", public"));
        on.mariaDb(maria -> threeVersions(maria, maria.tandem(), UnaryOperator.identity()));
    }

    @TestTemplate
    void sharedTablesContractInOrderAndRollBackInReverse(OnDatabase on) throws Exception {
        on.postgres(pg -> order(pg, pg::tandem, () -> Catalog.dump(pg), v -> v == null ? null : v + ", public"));
        on.mariaDb(maria -> order(maria, maria::tandem, () -> catalog(maria), UnaryOperator.identity()));
    }

    @TestTemplate
    void disjointMigrationsContractAndRollBackInAnyOrder(OnDatabase on) throws Exception {
        on.postgres(pg -> disjoint(pg, pg::tandem, () -> Catalog.dump(pg), v -> v == null ? null : v + ", public"));
        on.mariaDb(maria -> disjoint(maria, maria::tandem, () -> catalog(maria), UnaryOperator.identity()));
    }

    /**
     * A table created outside Tandem after the migration below expanded: the stacked migration's model of the schema
     * starts from the one below's, and took it for missing ("table 'tags' does not exist").
     */
    @TestTemplate
    void aStackedMigrationChangesATableCreatedSinceTheMigrationBelowExpanded(OnDatabase on) throws Exception {
        on.postgres(pg -> createdSince(pg, pg.tandem(), v -> v + ", public"));
        on.mariaDb(maria -> createdSince(maria, maria.tandem(), UnaryOperator.identity()));
    }

    private static void createdSince(StatementsAsVersion db, Tandem tandem, UnaryOperator<String> as) {
        db.execute(SETUP);
        tandem.expand(TOTALS);
        db.execute("CREATE TABLE tags (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL)",
                "INSERT INTO tags VALUES (1, 'red')");
        Migration colors = Examples.inline("colors", "add_column: {table: tags, column: {name: color,"
                + " type: varchar(20), nullable: true}, up: UPPER(label)}");

        tandem.expand(colors);
        tandem.backfill(colors.name(), BackfillListener.NONE);
        String v = as.apply(schema(tandem, colors));
        db.executeIn(v, "INSERT INTO tags (id, label, color) VALUES (2, 'blue', 'navy')");
        db.execute("INSERT INTO tags (id, label) VALUES (3, 'green')");
        assertThat(db.rows(v, "SELECT id, label, color FROM tags ORDER BY id"))
                .containsExactly("1|red|RED", "2|blue|navy", "3|green|GREEN");

        tandem.backfill(TOTALS.name(), BackfillListener.NONE);
        tandem.contract(colors.name(), InstanceCheck.FORCE);
        tandem.contract(TOTALS.name(), InstanceCheck.FORCE);
        assertThat(phases(tandem)).containsExactly("totals complete", "colors complete");
        assertThat(db.rows("SELECT id, label, color FROM tags ORDER BY id"))
                .containsExactly("1|red|RED", "2|blue|navy", "3|green|GREEN");
    }

    /** Changes the type of the column the migration below added: its up and down chain with the one below. */
    static final Migration WIDER = Examples.inline("wider_totals", "alter_column: {table: items, column: total, "
            + "type: bigint, up: total, down: total}");

    @TestTemplate
    void aTypeChangeOfTheColumnTheMigrationBelowAddedChainsTheirSyncRules(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            chained(pg, pg.tandem(), () -> Catalog.dump(pg), v -> v + ", public");
            try (TestDatabase crashed = TestDatabase.create(); TestDatabase plain = TestDatabase.create()) {
                chainedCrashes(crashed, crash -> crashed.tandem(TandemConfig.builder().afterStep(crash).build()),
                        plain, plain.tandem(), () -> Catalog.dump(crashed), () -> Catalog.dump(plain));
            }
        });
        on.mariaDb(maria -> {
            chained(maria, maria.tandem(), () -> catalog(maria), UnaryOperator.identity());
            try (MariaDbTestDatabase crashed = MariaDbTestDatabase.create();
                 MariaDbTestDatabase plain = MariaDbTestDatabase.create()) {
                chainedCrashes(crashed, crash -> crashed.tandem(TandemConfig.builder().schema(crashed.name())
                        .afterStep(crash)), plain, plain.tandem(), () -> withTriggerOrder(crashed),
                        () -> withTriggerOrder(plain));
            }
        });
    }

    /**
     * Totals and wider_totals stacked on it, whose rules chain on {@code total}: the versions before totals, totals
     * and wider_totals write at once and each sees every write in its shape; wider_totals rolls back, then totals,
     * each leaving the versions below it right; expanded again, totals contracts, then wider_totals.
     */
    private static void chained(StatementsAsVersion db, Tandem tandem, Supplier<List<String>> catalog,
                                UnaryOperator<String> as) {
        db.execute(SETUP);
        List<String> before = catalog.get();
        tandem.expand(TOTALS);
        tandem.expand(WIDER);
        assertThatThrownBy(() -> tandem.backfill(WIDER.name(), BackfillListener.NONE))
                .isInstanceOf(StateConflictException.class).hasMessageContaining("migration 'wider_totals' is "
                        + "stacked on 'totals', whose backfill of items is not complete: backfill 'totals' first");
        tandem.backfill(TOTALS.name(), BackfillListener.NONE);
        tandem.backfill(WIDER.name(), BackfillListener.NONE);
        String a = as.apply(schema(tandem, TOTALS));
        String b = as.apply(schema(tandem, WIDER));

        db.execute("INSERT INTO items (id, qty, price) VALUES (10, 2, 3)", "UPDATE items SET qty = 5 WHERE id = 2");
        db.executeIn(a, "INSERT INTO items (id, qty, unit_price, total) VALUES (11, 1, 1, 99)");
        db.executeIn(b, "INSERT INTO items (id, qty, unit_price, total) VALUES (12, 2, 5, 7)",
                "UPDATE items SET total = 8 WHERE id = 1");
        List<String> rows = List.of("1|2|3|8", "2|5|5|25", "10|2|3|6", "11|1|1|99", "12|2|5|7");
        assertThat(db.rows(a, "SELECT id, qty, unit_price, total FROM items ORDER BY id"))
                .containsExactlyElementsOf(rows);
        assertThat(db.rows(b, "SELECT id, qty, unit_price, total FROM items ORDER BY id"))
                .containsExactlyElementsOf(rows);
        assertThat(db.rows("SELECT id, qty, price FROM items ORDER BY id"))
                .containsExactly("1|2|3", "2|5|5", "10|2|3", "11|1|1", "12|2|5");

        tandem.rollback(WIDER.name(), InstanceCheck.FORCE);
        db.execute("UPDATE items SET qty = 3 WHERE id = 10");
        db.executeIn(a, "UPDATE items SET total = 50 WHERE id = 11");
        assertThat(db.rows(a, "SELECT id, qty, unit_price, total FROM items ORDER BY id"))
                .containsExactly("1|2|3|8", "2|5|5|25", "10|3|3|9", "11|1|1|50", "12|2|5|7");
        tandem.rollback(TOTALS.name(), InstanceCheck.FORCE);
        assertThat(db.rows("SELECT id, qty, price FROM items ORDER BY id"))
                .containsExactly("1|2|3", "2|5|5", "10|3|3", "11|1|1", "12|2|5");
        assertThat(catalog.get()).containsExactlyElementsOf(before);

        tandem.expand(TOTALS);
        tandem.backfill(TOTALS.name(), BackfillListener.NONE);
        tandem.expand(WIDER);
        tandem.backfill(WIDER.name(), BackfillListener.NONE);
        String a2 = as.apply(schema(tandem, TOTALS));
        String b2 = as.apply(schema(tandem, WIDER));
        db.execute("INSERT INTO items (id, qty, price) VALUES (20, 1, 2)");
        db.executeIn(a2, "INSERT INTO items (id, qty, unit_price, total) VALUES (21, 2, 2, 30)");
        db.executeIn(b2, "INSERT INTO items (id, qty, unit_price, total) VALUES (22, 3, 3, 40)",
                "UPDATE items SET total = 41 WHERE id = 21");
        rows = List.of("1|2|3|6", "2|5|5|25", "10|3|3|9", "11|1|1|1", "12|2|5|10", "20|1|2|2", "21|2|2|41",
                "22|3|3|40");
        assertThat(db.rows(a2, "SELECT id, qty, unit_price, total FROM items ORDER BY id"))
                .containsExactlyElementsOf(rows);
        assertThat(db.rows(b2, "SELECT id, qty, unit_price, total FROM items ORDER BY id"))
                .containsExactlyElementsOf(rows);

        tandem.contract(TOTALS.name(), InstanceCheck.FORCE);
        db.executeIn(a2, "UPDATE items SET total = 60 WHERE id = 20");
        db.executeIn(b2, "INSERT INTO items (id, qty, unit_price, total) VALUES (23, 1, 1, 70)");
        assertThat(db.rows(b2, "SELECT id, total FROM items WHERE id IN (20, 23) ORDER BY id"))
                .containsExactly("20|60", "23|70");
        assertThat(db.rows(a2, "SELECT id, total FROM items WHERE id IN (20, 23) ORDER BY id"))
                .containsExactly("20|60", "23|70");
        tandem.contract(WIDER.name(), InstanceCheck.FORCE);
        db.executeIn(b2, "INSERT INTO items (id, qty, unit_price, total) VALUES (24, 1, 1, 5000000000)");
        assertThat(db.rows("SELECT id, total FROM items WHERE id IN (1, 21, 24) ORDER BY id"))
                .containsExactly("1|6", "21|41", "24|5000000000");
    }

    /**
     * The phases of {@link #chained}, each crashing after every one of its steps in turn and run again until it ends,
     * against the same phases run without a crash.
     */
    private static void chainedCrashes(StatementsAsVersion db, Function<Consumer<String>, Tandem> crashing,
                                       StatementsAsVersion plain, Tandem once, Supplier<List<String>> catalog,
                                       Supplier<List<String>> plainCatalog) {
        db.execute(SETUP);
        plain.execute(SETUP);
        resumeEachPhase(crashing, once, catalog, plainCatalog, List.of("expand totals", "backfill totals",
                "expand wider_totals", "backfill wider_totals", "rollback wider_totals", "rollback totals",
                "expand totals", "backfill totals", "expand wider_totals", "backfill wider_totals", "contract totals",
                "contract wider_totals"));
        assertThat(db.rows("SELECT id, qty, unit_price, total FROM items ORDER BY id"))
                .containsExactly("1|2|3|6", "2|4|5|20");
    }

    /** The catalog, and the order in which each table's triggers of one event fire. */
    private static List<String> withTriggerOrder(MariaDbTestDatabase db) {
        List<String> lines = new ArrayList<>(catalog(db));
        lines.addAll(db.rows("SELECT CONCAT_WS(' ', 'fires', EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION,"
                + " ACTION_ORDER, TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"
                + " ORDER BY 1"));
        return lines;
    }

    @TestTemplate
    void aCrashAfterAnyStepResumesToTheSameEndState(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            try (TestDatabase plain = TestDatabase.create()) {
                crashes(pg, crash -> pg.tandem(TandemConfig.builder().afterStep(crash).build()),
                        plain, plain.tandem(), () -> Catalog.dump(pg), () -> Catalog.dump(plain));
            }
        });
        on.mariaDb(maria -> {
            try (MariaDbTestDatabase plain = MariaDbTestDatabase.create()) {
                crashes(maria, crash -> maria.tandem(TandemConfig.builder().schema(maria.name()).afterStep(crash)),
                        plain, plain.tandem(), () -> catalog(maria), () -> catalog(plain));
            }
        });
    }

    @TestTemplate
    void aStackedExpandWaitsForTheRunningBackfillOfTheMigrationBelow(OnDatabase on) throws Exception {
        on.postgres(pg -> expandDuringBackfill(pg, config -> pg.tandem(config.build()),
                v -> v == null ? null : v + ", public"));
        on.mariaDb(maria -> expandDuringBackfill(maria, config -> maria.tandem(config.schema(maria.name())),
                UnaryOperator.identity()));
    }

    /**
     * Expand of amounts while the backfill of totals, below it, runs in another thread on a pool of its own, slowed
     * to small batches: the expand waits for that run's lock (one waiting less than the backfill takes is refused,
     * naming the lock, and changes nothing), and stacks once the backfill has ended; then both complete, every
     * version's writes right in every shape.
     */
    private static void expandDuringBackfill(StatementsAsVersion db, Function<TandemConfig.Builder, Tandem> tandems,
                                             UnaryOperator<String> as) throws Exception {
        db.execute(SETUP);
        StringBuilder rows = new StringBuilder("INSERT INTO items (id, qty, price) VALUES ");
        for (int id = 100; id < 300; id++) {
            rows.append(id > 100 ? ", " : "").append('(').append(id).append(", ").append(id % 7).append(", ")
                    .append(id % 11).append(')');
        }
        db.execute(rows.toString());
        Tandem tandem = tandems.apply(TandemConfig.builder());
        tandem.expand(TOTALS);
        CountDownLatch running = new CountDownLatch(1);
        Tandem slow = tandems.apply(TandemConfig.builder().batchSizeBounds(5, 5).batchSize(5));
        FutureTask<Boolean> backfill = new FutureTask<>(() -> {
            slow.backfill(TOTALS.name(), progress -> {
                running.countDown();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return true;
        });
        new Thread(backfill, "totals-backfill").start();
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        Tandem impatient = tandems.apply(TandemConfig.builder().runLockWait(Duration.ofMillis(200)));
        assertThatThrownBy(() -> impatient.expand(AMOUNTS)).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("another Tandem run holds the lock on");
        assertThat(backfill.isDone()).isFalse();
        assertThat(phases(tandem)).containsExactly("totals expanded");

        tandem.expand(AMOUNTS);
        assertThat(backfill.get(30, TimeUnit.SECONDS)).isTrue();
        tandem.backfill(AMOUNTS.name(), BackfillListener.NONE);
        String a = as.apply(schema(tandem, TOTALS));
        String b = as.apply(schema(tandem, AMOUNTS));
        db.execute("INSERT INTO items (id, qty, price) VALUES (10, 2, 3)", "UPDATE items SET qty = 5 WHERE id = 150");
        db.executeIn(a, "INSERT INTO items (id, qty, unit_price, total) VALUES (11, 1, 1, 99)");
        db.executeIn(b, "INSERT INTO items (id, qty, unit_price, amount) VALUES (12, 2, 5, 7)",
                "UPDATE items SET amount = 8 WHERE id = 200");
        List<String> expected = new ArrayList<>(List.of("1|2|3|6", "2|4|5|20", "10|2|3|6", "11|1|1|99", "12|2|5|7"));
        for (int id = 100; id < 300; id++) {
            int qty = id == 150 ? 5 : id % 7;
            expected.add(id + "|" + qty + "|" + id % 11 + "|" + (id == 200 ? 8 : qty * (id % 11)));
        }
        assertThat(db.rows(a, "SELECT id, qty, unit_price, total FROM items ORDER BY id"))
                .containsExactlyElementsOf(expected);
        assertThat(db.rows(b, "SELECT id, qty, unit_price, amount FROM items ORDER BY id"))
                .containsExactlyElementsOf(expected);

        tandem.contract(TOTALS.name(), InstanceCheck.FORCE);
        tandem.contract(AMOUNTS.name(), InstanceCheck.FORCE);
        assertThat(phases(tandem)).containsExactly("totals complete", "amounts complete");
        assertThat(db.rows("SELECT id, qty, unit_price, amount FROM items ORDER BY id"))
                .containsExactlyElementsOf(expected);
    }

    /**
     * Totals, amounts stacked on it and authors on both: expand of each, rollback of authors (on top) and of totals
     * under amounts with --cascade, expand again, contract of authors before the others (it shares no table with
     * them) and of amounts with --cascade, each crashing after every one of its steps in turn and run again until it
     * ends; against the same phases run without a crash.
     */
    private static void crashes(StatementsAsVersion db, Function<Consumer<String>, Tandem> crashing,
                                StatementsAsVersion plain, Tandem once, Supplier<List<String>> catalog,
                                Supplier<List<String>> plainCatalog) {
        db.execute(SETUP);
        plain.execute(SETUP);
        List<String> steps = resumeEachPhase(crashing, once, catalog, plainCatalog, List.of("expand totals",
                "backfill totals", "expand amounts", "expand authors", "rollback authors", "cascade rollback totals",
                "expand totals", "backfill totals", "expand amounts", "expand authors", "backfill authors",
                "contract authors", "cascade contract amounts"));
        assertThat(steps).anyMatch(step -> step.startsWith("rollback/main"))
                .anyMatch(step -> step.startsWith("contract/main"));
        assertThat(db.rows("SELECT id, qty, unit_price, amount FROM items ORDER BY id"))
                .containsExactlyElementsOf(plain.rows("SELECT id, qty, unit_price, amount FROM items ORDER BY id"))
                .containsExactly("1|2|3|6", "2|4|5|20");
        assertThat(db.rows("SELECT id, body, author FROM notes")).containsExactly("1|hello|anonymous");
    }

    /**
     * Runs each phase crashing after every one of its steps in turn, again until it ends, then without a crash on the
     * other database, and compares their catalogs and phases. Returns the steps crashed after.
     */
    private static List<String> resumeEachPhase(Function<Consumer<String>, Tandem> crashing, Tandem once,
                                                Supplier<List<String>> catalog, Supplier<List<String>> plainCatalog,
                                                List<String> phases) {
        List<String> steps = new ArrayList<>();
        for (String phase : phases) {
            SimulatedCrash.EachStep crash = new SimulatedCrash.EachStep(phase.replace("cascade ", "").split(" ")[0]);
            Tandem tandem = crashing.apply(crash);
            steps.addAll(crash.untilDone(() -> run(tandem, phase), step -> { }));
            run(once, phase);
            assertThat(catalog.get()).as("after " + phase).containsExactlyElementsOf(plainCatalog.get());
            assertThat(phases(tandem)).as("after " + phase).containsExactlyElementsOf(phases(once));
        }
        return steps;
    }

    private static void run(Tandem tandem, String phase) {
        String[] words = phase.split(" ");
        String name = words[words.length - 1];
        Migration migration = Map.of(TOTALS.name(), TOTALS, AMOUNTS.name(), AMOUNTS, AUTHORS.name(), AUTHORS,
                WIDER.name(), WIDER).get(name);
        switch (phase.replace(" " + name, "")) {
            case "expand" -> tandem.expand(migration);
            case "backfill" -> tandem.backfill(name, BackfillListener.NONE);
            case "rollback" -> tandem.rollback(name, InstanceCheck.FORCE);
            case "cascade rollback" -> tandem.rollbackCascading(name, InstanceCheck.FORCE);
            case "contract" -> tandem.contract(name, InstanceCheck.FORCE);
            case "cascade contract" -> tandem.contractCascading(name, InstanceCheck.FORCE);
            default -> throw new IllegalArgumentException(phase);
        }
    }

    private static void threeVersions(StatementsAsVersion db, Tandem tandem, UnaryOperator<String> as) {
        db.execute(SETUP);
        tandem.expand(TOTALS);
        tandem.backfill(TOTALS.name(), BackfillListener.NONE);
        tandem.expand(AMOUNTS);
        String a = as.apply(schema(tandem, TOTALS));
        String b = as.apply(schema(tandem, AMOUNTS));

        db.execute("INSERT INTO items (id, qty, price) VALUES (10, 2, 3)");
        db.executeIn(a, "INSERT INTO items (id, qty, unit_price, total) VALUES (11, 1, 1, 99)");
        db.executeIn(b, "INSERT INTO items (id, qty, unit_price, amount) VALUES (12, 2, 5, 7)");
        db.executeIn(b, "UPDATE items SET qty = 3 WHERE id = 1");

        assertThat(db.rows("SELECT id, qty, price FROM items ORDER BY id"))
                .containsExactly("1|3|3", "2|4|5", "10|2|3", "11|1|1", "12|2|5");
        assertThat(db.rows(a, "SELECT id, qty, unit_price, total FROM items ORDER BY id"))
                .containsExactly("1|3|3|6", "2|4|5|20", "10|2|3|6", "11|1|1|99", "12|2|5|7");
        assertThat(db.rows(b, "SELECT id, qty, unit_price, amount FROM items ORDER BY id"))
                .containsExactly("1|3|3|6", "2|4|5|20", "10|2|3|6", "11|1|1|99", "12|2|5|7");

        tandem.contract(TOTALS.name(), InstanceCheck.FORCE);
        db.executeIn(b, "INSERT INTO items (id, qty, unit_price, amount) VALUES (13, 1, 2, 8)");
        assertThat(db.rows(b, "SELECT id, qty, unit_price, amount FROM items WHERE id >= 12 ORDER BY id"))
                .containsExactly("12|2|5|7", "13|1|2|8");
        tandem.contract(AMOUNTS.name(), InstanceCheck.FORCE);
        assertThat(db.rows("SELECT id, qty, unit_price, amount FROM items ORDER BY id"))
                .containsExactly("1|3|3|6", "2|4|5|20", "10|2|3|6", "11|1|1|99", "12|2|5|7", "13|1|2|8");
    }

    private static void order(StatementsAsVersion db, Supplier<Tandem> tandems, Supplier<List<String>> catalog,
                              UnaryOperator<String> as) {
        Tandem tandem = tandems.get();
        db.execute(SETUP);
        List<String> before = catalog.get();
        tandem.expand(TOTALS);
        tandem.expand(AMOUNTS);

        assertThatThrownBy(() -> tandem.rollback(TOTALS.name(), InstanceCheck.FORCE))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("migration 'amounts' is stacked on 'totals' and changes table items as well")
                .hasMessageContaining("roll back 'amounts' first");
        tandem.backfill(TOTALS.name(), BackfillListener.NONE);
        assertThatThrownBy(() -> tandem.contract(AMOUNTS.name(), InstanceCheck.FORCE))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("migration 'amounts' is stacked on 'totals', which changes table items as well")
                .hasMessageContaining("contract 'totals' first");
        assertThat(phases(tandem)).containsExactly("totals expanded", "amounts expanded");

        tandem.rollbackCascading(TOTALS.name(), InstanceCheck.FORCE);
        assertThat(phases(tandem)).containsExactly("totals rolled_back", "amounts rolled_back");
        assertThat(catalog.get()).containsExactlyElementsOf(before);

        tandem.expand(TOTALS);
        tandem.backfill(TOTALS.name(), BackfillListener.NONE);
        tandem.expand(AMOUNTS);
        tandem.contractCascading(AMOUNTS.name(), InstanceCheck.FORCE);
        assertThat(phases(tandem)).containsExactly("totals complete", "amounts complete");
        assertThat(db.rows("SELECT id, qty, unit_price, amount FROM items ORDER BY id"))
                .containsExactly("1|2|3|6", "2|4|5|20");
        assertThat(db.rows(as.apply(schema(tandem, AMOUNTS)), "SELECT id, amount FROM items ORDER BY id"))
                .containsExactly("1|6", "2|20");
    }

    private static void disjoint(StatementsAsVersion db, Supplier<Tandem> tandems, Supplier<List<String>> catalog,
                                 UnaryOperator<String> as) {
        Tandem tandem = tandems.get();
        db.execute(SETUP);
        List<String> before = catalog.get();
        tandem.expand(TOTALS);
        tandem.expand(AUTHORS);
        String a = as.apply(schema(tandem, TOTALS));
        String b = as.apply(schema(tandem, AUTHORS));
        // the upper version sees the lower one's changes on the tables it does not change
        db.executeIn(b, "INSERT INTO items (id, qty, unit_price, total) VALUES (3, 1, 1, 1)",
                "INSERT INTO notes (id, body, author) VALUES (2, 'b', 'bea')");
        db.executeIn(a, "INSERT INTO notes (id, body) VALUES (3, 'a')");
        assertThat(db.rows(b, "SELECT id, body, author FROM notes ORDER BY id"))
                .containsExactly("1|hello|null", "2|b|bea", "3|a|anonymous");

        // the lower one rolls back first: the upper version's views of its tables go back to the shape below it
        tandem.rollback(TOTALS.name(), InstanceCheck.FORCE);
        assertThat(db.rows(b, "SELECT id, qty, price FROM items ORDER BY id")).containsExactly("1|2|3", "2|4|5", "3|1|1");
        tandem.rollback(AUTHORS.name(), InstanceCheck.FORCE);
        db.execute("DELETE FROM items WHERE id = 3", "DELETE FROM notes WHERE id > 1");
        assertThat(catalog.get()).containsExactlyElementsOf(before);

        // the upper one contracts first, then the lower one
        tandem.expand(TOTALS);
        tandem.backfill(TOTALS.name(), BackfillListener.NONE);
        tandem.expand(AUTHORS);
        tandem.backfill(AUTHORS.name(), BackfillListener.NONE);
        a = as.apply(schema(tandem, TOTALS));
        b = as.apply(schema(tandem, AUTHORS));
        tandem.contract(AUTHORS.name(), InstanceCheck.FORCE);
        db.executeIn(a, "INSERT INTO items (id, qty, unit_price, total) VALUES (4, 1, 1, 1)");
        db.executeIn(b, "INSERT INTO items (id, qty, unit_price, total) VALUES (5, 2, 2, 4)");
        db.execute("INSERT INTO items (id, qty, price) VALUES (6, 3, 3)");
        assertThat(db.rows(b, "SELECT id, total FROM items ORDER BY id"))
                .containsExactly("1|6", "2|20", "4|1", "5|4", "6|9");
        tandem.contract(TOTALS.name(), InstanceCheck.FORCE);
        assertThat(phases(tandem)).containsExactly("totals complete", "authors complete");
        assertThat(db.rows(b, "SELECT id, unit_price, total FROM items ORDER BY id"))
                .containsExactly("1|3|6", "2|5|20", "4|1|1", "5|2|4", "6|3|9");
        assertThat(db.rows(b, "SELECT id, author FROM notes ORDER BY id")).containsExactly("1|anonymous");
    }

    static String schema(Tandem tandem, Migration migration) {
        return tandem.status().stream().filter(s -> s.name().equals(migration.name())).findFirst().orElseThrow()
                .versionSchema();
    }

    static List<String> phases(Tandem tandem) {
        return tandem.status().stream().map(s -> s.name() + " " + s.phase()).toList();
    }

    private static List<String> catalog(MariaDbTestDatabase db) {
        return Catalog.dump(db).stream().map(line -> line.replace(db.name(), "<database>")).toList();
    }
}
