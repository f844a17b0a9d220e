package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole cycle while an old and a new version of an application write and read the shop: the old version
 * (search_path public) from before expand until just before contract, as a deploy would retire it; the new
 * version (its version schema first) from right after expand until after contract. Between any two steps of
 * Tandem (every tenth backfill batch), every running version gets to run a few statements, so their writes
 * land between the trigger's creation, the index build, the backfill's batches and the contract's steps.
 */
class FullCycleUnderLoadTest {
    private static final int EXTRA_PRODUCTS = 20_000;
    private static final int EXTRA_ORDERS = 20_000;
    private static final int ACTIONS_BETWEEN_STEPS = 5;
    private static final int BATCHES_BETWEEN_PAUSES = 10;
    private static final int ACTIONS_PER_THREAD = 50_000;
    private static final Duration APP_TIME_LIMIT = Duration.ofSeconds(120);

    private final RunningApps apps = new RunningApps(ACTIONS_BETWEEN_STEPS, BATCHES_BETWEEN_PAUSES);
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create();
    }

    @AfterEach
    void stopAppsAndDropDatabase() throws InterruptedException {
        apps.close();
        db.close();
    }

    @Test
    void bothVersionsWorkWithoutAFailedStatementAndEveryRowEndsConsistent() throws Exception {
        Shop.create(db, EXTRA_PRODUCTS, EXTRA_ORDERS);
        long seededProducts = Long.parseLong(db.value("SELECT max(id) FROM products"));
        long seededOrders = Long.parseLong(db.value("SELECT max(id) FROM orders"));
        Tandem tandem = db.tandem(TandemConfig.builder().batchSize(100).lockTimeout(Duration.ofMillis(200))
                .afterStep(apps::letRun).build());
        Migration migration = Shop.migration();
        String version = tandem.plan(migration).versionSchema();

        SimulatedApp oldApp = apps.start(SimulatedApp.start("old-app", db.pool("public", 3), 3, ACTIONS_PER_THREAD,
                APP_TIME_LIMIT, oldVersion(seededProducts, seededOrders)));
        oldApp.awaitMoreActions(100);
        tandem.expand(migration);
        SimulatedApp newApp = apps.start(SimulatedApp.start("new-app", db.pool(version + ", public", 2), 2,
                ACTIONS_PER_THREAD, APP_TIME_LIMIT, newVersion(seededProducts, seededOrders)));
        tandem.backfill(migration.name(), BackfillListener.NONE);
        newApp.awaitMoreActions(100);

        apps.stop(oldApp);
        assertThat(oldApp.failures()).as("failed statements of the old version").isEmpty();
        assertThat(newApp.failures()).as("failed statements of the new version before contract").isEmpty();
        tandem.contract(migration.name());
        newApp.awaitMoreActions(200);
        apps.stop(newApp);
        assertThat(newApp.failures()).as("failed statements of the new version").isEmpty();

        assertThat(db.value("SELECT count(*) FROM products WHERE price_cents IS DISTINCT FROM CASE WHEN "
                + "legacy_code LIKE 'new:%' THEN substr(legacy_code, 5)::bigint "
                + "ELSE (legacy_code::numeric * 100)::bigint END"))
                .as("products whose price_cents is neither the old version's price in cents nor the new "
                        + "version's value").isEqualTo("0");
        assertThat(db.value("SELECT count(*) FROM orders WHERE shipped IS DISTINCT FROM CASE WHEN "
                + "note LIKE 'new:%' THEN substr(note, 5)::boolean ELSE status = 'shipped' END"))
                .as("orders whose shipped is neither derived from the status nor the new version's value")
                .isEqualTo("0");
        assertThat(Long.parseLong(db.value("SELECT count(*) FROM orders WHERE note LIKE 'new:%' "
                + "AND shipped <> (status = 'shipped')"))).as("new-version values that differ from the derived "
                + "one, kept").isPositive();
        assertThat(db.rows("SELECT column_name || ' ' || data_type || ' ' || is_nullable FROM "
                + "information_schema.columns WHERE table_schema = 'public' AND table_name = 'products' "
                + "ORDER BY ordinal_position"))
                .containsExactly("id bigint NO", "sku text NO", "title text NO", "legacy_code text YES",
                        "price_cents bigint NO");

        for (String table : List.of("products", "orders")) {
            long seeded = table.equals("products") ? seededProducts : seededOrders;
            Set<Long> byOld = oldApp.inserted(table);
            Set<Long> byNew = newApp.inserted(table);
            assertThat(byOld).as("%s inserted by the old version", table).isNotEmpty();
            assertThat(byNew).as("%s inserted by the new version", table).isNotEmpty();
            assertThat(count(table, byOld)).as("%s of the old version found", table).isEqualTo(byOld.size());
            assertThat(count(table, byNew)).as("%s of the new version found", table).isEqualTo(byNew.size());
            assertThat(Long.parseLong(db.value("SELECT count(*) FROM " + table)))
                    .isEqualTo(seeded + byOld.size() + byNew.size());
        }
        assertThat(Catalog.dump(db)).as("nothing of Tandem's is left in the catalog")
                .noneMatch(line -> line.contains("_tandem"))
                .noneMatch(line -> line.startsWith("function tandem."));
    }

    private int count(String table, Set<Long> ids) {
        String array = ids.stream().map(String::valueOf).collect(Collectors.joining(",", "'{", "}'::bigint[]"));
        return Integer.parseInt(db.value("SELECT count(*) FROM " + table + " WHERE id = ANY(" + array + ")"));
    }

    /** The old version: knows price in numeric units and nothing of shipped. */
    private static List<SimulatedApp.Action> oldVersion(long products, long orders) {
        return List.of(
                (c, random, app) -> {
                    BigDecimal price = BigDecimal.valueOf(random.nextLong(100, 1_000_000), 2);
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO products (sku, title, price, "
                            + "legacy_code) VALUES (?, 'old product', ?, ?) RETURNING id")) {
                        s.setString(1, "OLD-" + random.nextLong());
                        s.setBigDecimal(2, price);
                        s.setString(3, price.toPlainString());
                        app.insert(s, "products");
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("UPDATE products SET price = price + 0.25, "
                            + "legacy_code = (price + 0.25)::text WHERE id = ?")) {
                        s.setLong(1, app.anyRow("products", products, random));
                        s.executeUpdate();
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("UPDATE products SET title = 'renamed by the old "
                            + "version' WHERE id = ?")) {
                        s.setLong(1, app.anyRow("products", products, random));
                        s.executeUpdate();
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("SELECT id, sku, title, price FROM products "
                            + "WHERE id = ?")) {
                        s.setLong(1, app.anyRow("products", products, random));
                        SimulatedApp.read(s);
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO orders (customer_id, product_id, "
                            + "quantity, status, note) VALUES (?, ?, 2, ?, 'old') RETURNING id")) {
                        s.setLong(1, 1 + random.nextLong(200));
                        s.setLong(2, 1 + random.nextLong(products));
                        s.setString(3, random.nextBoolean() ? "shipped" : "new");
                        app.insert(s, "orders");
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("UPDATE orders SET status = CASE WHEN status = "
                            + "'shipped' THEN 'new' ELSE 'shipped' END, note = 'old' WHERE id = ?")) {
                        s.setLong(1, app.anyRow("orders", orders, random));
                        s.executeUpdate();
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("UPDATE orders SET quantity = quantity % 9 + 1 "
                            + "WHERE id = ?")) {
                        s.setLong(1, app.anyRow("orders", orders, random));
                        s.executeUpdate();
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("SELECT o.id, o.status, p.price FROM orders o "
                            + "LEFT JOIN products p ON p.id = o.product_id WHERE o.id = ?")) {
                        s.setLong(1, app.anyRow("orders", orders, random));
                        SimulatedApp.read(s);
                    }
                });
    }

    /** The new version: prices in cents under their new name, and shipped written directly. */
    private static List<SimulatedApp.Action> newVersion(long products, long orders) {
        return List.of(
                (c, random, app) -> {
                    long cents = random.nextLong(100, 1_000_000);
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO products (sku, title, price_cents, "
                            + "legacy_code) VALUES (?, 'new product', ?, ?) RETURNING id")) {
                        s.setString(1, "NEW-" + random.nextLong());
                        s.setLong(2, cents);
                        s.setString(3, "new:" + cents);
                        app.insert(s, "products");
                    }
                },
                (c, random, app) -> {
                    long cents = random.nextLong(100, 1_000_000);
                    try (PreparedStatement s = c.prepareStatement("UPDATE products SET price_cents = ?, "
                            + "legacy_code = ? WHERE id = ?")) {
                        s.setLong(1, cents);
                        s.setString(2, "new:" + cents);
                        s.setLong(3, app.anyRow("products", products, random));
                        s.executeUpdate();
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("UPDATE products SET title = 'renamed by the new "
                            + "version' WHERE id = ?")) {
                        s.setLong(1, app.anyRow("products", products, random));
                        s.executeUpdate();
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("SELECT id, sku, price_cents FROM products "
                            + "WHERE id = ?")) {
                        s.setLong(1, app.anyRow("products", products, random));
                        SimulatedApp.read(s);
                    }
                },
                (c, random, app) -> {
                    boolean shipped = random.nextBoolean();
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO orders (customer_id, product_id, "
                            + "quantity, status, note, shipped) VALUES (?, ?, 1, 'new', ?, ?) RETURNING id")) {
                        s.setLong(1, 1 + random.nextLong(200));
                        s.setLong(2, 1 + random.nextLong(products));
                        s.setString(3, "new:" + shipped);
                        s.setBoolean(4, shipped);
                        app.insert(s, "orders");
                    }
                },
                (c, random, app) -> {
                    boolean shipped = random.nextBoolean();
                    try (PreparedStatement s = c.prepareStatement("UPDATE orders SET shipped = ?, note = ? "
                            + "WHERE id = ?")) {
                        s.setBoolean(1, shipped);
                        s.setString(2, "new:" + shipped);
                        s.setLong(3, app.anyRow("orders", orders, random));
                        s.executeUpdate();
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("UPDATE orders SET quantity = quantity % 9 + 1 "
                            + "WHERE id = ?")) {
                        s.setLong(1, app.anyRow("orders", orders, random));
                        s.executeUpdate();
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("SELECT o.id, o.shipped, p.price_cents FROM "
                            + "orders o LEFT JOIN products p ON p.id = o.product_id WHERE o.id = ?")) {
                        s.setLong(1, app.anyRow("orders", orders, random));
                        SimulatedApp.read(s);
                    }
                });
    }
}
