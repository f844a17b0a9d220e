package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MariaDB table copy of a table that another table's foreign key refers to, under load: {@code customers} is
 * copied (its credit retyped int → bigint and checked), while {@code orders} refers to it {@code ON DELETE CASCADE},
 * then {@code RESTRICT}. The old version (the tables' database) writes from before expand until just before
 * contract, as a deploy stops it; the new version (its database of views) from the end of the backfill, through
 * contract and after it. Both insert customers, insert orders of live customers, change credits and delete
 * customers (with their orders, or refused while they have some). Every write either version was told succeeded
 * must be in the tables at the end, no order may be left without its customer, and the foreign key must refer to
 * the swapped-in table under its own name.
 */
@ParameterizedClass
@ValueSource(strings = {"CASCADE", "RESTRICT"})
class MariaDbReferencedTableCopyUnderLoadTest {
    private static final int CUSTOMERS = 20_000;
    private static final int ORDERS = 40_000;
    private static final int ACTIONS_PER_THREAD = 50_000;
    private static final Duration APP_TIME_LIMIT = Duration.ofSeconds(60);
    private static final int ROW_IS_REFERENCED = 1451;
    private static final Migration MIGRATION = Examples.inline("checked_credit",
            "alter_column: {table: customers, column: credit, type: bigint, check: credit >= 0, up: credit,"
                    + " down: credit, strategy: copy}");

    @Parameter
    String onDelete;

    private final RunningApps apps = new RunningApps(5, 2);
    /** Each live customer's credit, and each live order's customer and amount, as the last acknowledged write left. */
    private final Map<Long, Long> credits = new ConcurrentHashMap<>();
    private final Map<Long, String> orders = new ConcurrentHashMap<>();
    /** The orders of each live customer: only written while its customer's stripe is held. */
    private final Map<Long, Set<Long>> ordersOf = new ConcurrentHashMap<>();
    private final List<Long> customerIds = new ArrayList<>();
    private final Object[] stripes = new Object[64];
    private final AtomicLong customerInserts = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    /** Deletes of customers with orders, which a {@code RESTRICT} key refuses. */
    private final AtomicLong restricted = new AtomicLong();
    private MariaDbTestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = MariaDbTestDatabase.create();
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    @AfterEach
    void stopAppsAndDropDatabase() throws InterruptedException {
        try {
            apps.close();
        } finally {
            db.close();
        }
    }

    @Test
    void everyAcknowledgedWriteToTheCopiedTableAndItsChildrenSurvivesTheSwap() throws Exception {
        db.execute("CREATE TABLE customers (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL,"
                        + " credit INT NOT NULL)",
                "INSERT INTO customers (name, credit) SELECT CONCAT('seed', seq), seq % 1000 FROM seq_1_to_" + CUSTOMERS,
                "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL,"
                        + " amount INT NOT NULL, CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id)"
                        + " REFERENCES customers (id) ON DELETE " + onDelete + ")",
                "INSERT INTO orders (customer_id, amount) SELECT 1 + seq % " + CUSTOMERS + ", seq FROM seq_1_to_" + ORDERS);
        remember();
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).batchSize(200).batchSizeBounds(100, 400)
                .lockTimeout(Duration.ofMillis(200)).afterStep(apps::letRun));
        String version = tandem.plan(MIGRATION).versionSchema();

        SimulatedApp oldApp = apps.start(SimulatedApp.start("old-app", db.pool(null, 3), 3, ACTIONS_PER_THREAD,
                APP_TIME_LIMIT, writes("old")));
        oldApp.awaitMoreActions(100);
        tandem.expand(MIGRATION);
        oldApp.awaitMoreActions(100);
        long beforeBackfill = oldApp.actionsRun();
        tandem.backfill(MIGRATION.name(), BackfillListener.NONE);
        long duringBackfill = oldApp.actionsRun() - beforeBackfill;
        SimulatedApp newApp = apps.start(SimulatedApp.start("new-app", db.pool(version, 2), 2, ACTIONS_PER_THREAD,
                APP_TIME_LIMIT, writes("new")));
        newApp.awaitMoreActions(1_000);
        oldApp.awaitMoreActions(1_000);
        apps.stop(oldApp);
        assertThat(oldApp.failures()).as("failed statements of the old version").isEmpty();

        long beforeContract = newApp.actionsRun();
        tandem.contract(MIGRATION.name());
        long duringContract = newApp.actionsRun() - beforeContract;
        newApp.awaitMoreActions(300);
        apps.stop(newApp);
        assertThat(newApp.failures()).as("failed statements of the new version").isEmpty();

        assertThat(db.rows("SELECT CONCAT(TABLE_NAME, ' ', CONSTRAINT_NAME, ' ', REFERENCED_TABLE_NAME, ' ', DELETE_RULE)"
                + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"))
                .containsExactly("orders orders_customer_fk customers " + onDelete);
        assertThat(db.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME LIKE '\\_tandem%'")).as("tables Tandem left").isEmpty();
        assertThat(db.value("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"))
                .as("triggers left").isEqualTo("0");
        assertThat(db.value("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'customers' AND COLUMN_NAME = 'credit'")).isEqualTo("bigint(20)");
        assertThat(db.value("SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id"
                + " WHERE c.id IS NULL")).as("orders without their customer").isEqualTo("0");
        assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(credit)) FROM customers")).as("customers, credits")
                .isEqualTo(credits.size() + "/" + credits.values().stream().mapToLong(Long::longValue).sum());
        assertThat(db.value("SELECT COUNT(*) FROM orders")).as("orders").isEqualTo(String.valueOf(orders.size()));
        assertThat(differences("SELECT id, credit FROM customers", credits)).as("customers unlike their last write")
                .isEmpty();
        assertThat(differences("SELECT id, CONCAT(customer_id, '/', amount) FROM orders", orders))
                .as("orders unlike their last write").isEmpty();
        assertThat(db.rows("SELECT name FROM customers WHERE name LIKE 'new%' LIMIT 1")).isNotEmpty();
        assertThat(db.rows("SELECT name FROM customers WHERE name LIKE 'old%' LIMIT 1")).isNotEmpty();
        assertThat(duringBackfill).as("actions of the old version during the backfill").isGreaterThan(500);
        assertThat(duringContract).as("actions of the new version during contract").isPositive();
        assertThat(deletes.get()).as("customers deleted").isPositive();
        if (onDelete.equals("RESTRICT")) {
            assertThat(restricted.get()).as("deletes of customers with orders refused").isPositive();
        }
        System.out.printf("old version: %d actions (%d during the backfill), new version: %d (%d during contract);"
                        + " %d customers inserted%n",
                oldApp.actionsRun(), duringBackfill, newApp.actionsRun(), duringContract, customerInserts.get());
        System.out.printf("ON DELETE %s: %d customers deleted, %d deletes refused for their orders%n", onDelete,
                deletes.get(), restricted.get());
    }

    /** The seeded rows, as the ledger starts from. */
    private void remember() {
        for (String row : db.rows("SELECT CONCAT(id, ' ', credit) FROM customers")) {
            String[] parts = row.split(" ");
            long id = Long.parseLong(parts[0]);
            credits.put(id, Long.parseLong(parts[1]));
            ordersOf.put(id, ConcurrentHashMap.newKeySet());
            customerIds.add(id);
        }
        for (String row : db.rows("SELECT CONCAT(id, ' ', customer_id, ' ', amount) FROM orders")) {
            String[] parts = row.split(" ");
            orders.put(Long.parseLong(parts[0]), parts[1] + "/" + parts[2]);
            ordersOf.get(Long.parseLong(parts[1])).add(Long.parseLong(parts[0]));
        }
    }

    /**
     * One version's writes. Each write to a customer, and to its orders, holds the customer's stripe across the
     * statement and its entry in the ledger, so the ledger sees them in the order the database committed them and
     * an order is only inserted for a customer the ledger has.
     */
    private List<SimulatedApp.Action> writes(String version) {
        return List.of(
                (c, random, app) -> {
                    long credit = random.nextInt(1_000_000);
                    try (PreparedStatement s = c.prepareStatement(
                            "INSERT INTO customers (name, credit) VALUES (?, ?) RETURNING id")) {
                        s.setString(1, version + random.nextInt(1_000));
                        s.setLong(2, credit);
                        try (ResultSet r = s.executeQuery()) {
                            r.next();
                            long id = r.getLong(1);
                            synchronized (stripe(id)) {
                                credits.put(id, credit);
                                ordersOf.put(id, ConcurrentHashMap.newKeySet());
                            }
                            synchronized (customerIds) {
                                customerIds.add(id);
                            }
                            customerInserts.incrementAndGet();
                        }
                    }
                },
                (c, random, app) -> {
                    long customer = anyCustomer(random);
                    int amount = random.nextInt(1_000);
                    synchronized (stripe(customer)) {
                        if (!credits.containsKey(customer)) {
                            return;
                        }
                        try (PreparedStatement s = c.prepareStatement(
                                "INSERT INTO orders (customer_id, amount) VALUES (?, ?) RETURNING id")) {
                            s.setLong(1, customer);
                            s.setInt(2, amount);
                            try (ResultSet r = s.executeQuery()) {
                                r.next();
                                orders.put(r.getLong(1), customer + "/" + amount);
                                ordersOf.get(customer).add(r.getLong(1));
                            }
                        }
                    }
                },
                (c, random, app) -> {
                    long customer = anyCustomer(random);
                    long credit = random.nextInt(1_000_000);
                    synchronized (stripe(customer)) {
                        try (PreparedStatement s = c.prepareStatement("UPDATE customers SET credit = ? WHERE id = ?")) {
                            s.setLong(1, credit);
                            s.setLong(2, customer);
                            expectChanged(s.executeUpdate(), customer, "update");
                        }
                        credits.computeIfPresent(customer, (id, was) -> credit);
                    }
                },
                (c, random, app) -> {
                    long customer = anyCustomer(random);
                    synchronized (stripe(customer)) {
                        boolean refused = onDelete.equals("RESTRICT") && credits.containsKey(customer)
                                && !ordersOf.get(customer).isEmpty();
                        try (PreparedStatement s = c.prepareStatement("DELETE FROM customers WHERE id = ?")) {
                            s.setLong(1, customer);
                            expectChanged(s.executeUpdate(), customer, "delete");
                        } catch (SQLException e) {
                            if (!refused || e.getErrorCode() != ROW_IS_REFERENCED) {
                                throw e;
                            }
                            restricted.incrementAndGet();
                            return;
                        }
                        if (refused) {
                            throw new IllegalStateException("delete of customer " + customer + ", who has orders,"
                                    + " went through ON DELETE RESTRICT");
                        }
                        if (credits.remove(customer) != null) {
                            deletes.incrementAndGet();
                            ordersOf.remove(customer).forEach(orders::remove);
                        }
                    }
                },
                (c, random, app) -> {
                    try (PreparedStatement s = c.prepareStatement("SELECT c.id, c.credit, o.id, o.amount FROM customers c"
                            + " JOIN orders o ON o.customer_id = c.id WHERE c.id = ?")) {
                        s.setLong(1, anyCustomer(random));
                        SimulatedApp.read(s);
                    }
                });
    }

    private Object stripe(long customer) {
        return stripes[Math.floorMod(customer, stripes.length)];
    }

    /** Any customer either version inserted or the seed had, perhaps deleted since. */
    private long anyCustomer(ThreadLocalRandom random) {
        synchronized (customerIds) {
            return customerIds.get(random.nextInt(customerIds.size()));
        }
    }

    /** A customer the ledger has must be there to update or delete, and one it lacks must not. */
    private void expectChanged(int changed, long customer, String write) {
        if (changed != (credits.containsKey(customer) ? 1 : 0)) {
            throw new IllegalStateException(write + " of customer " + customer + " changed " + changed
                    + " rows, the ledger " + (credits.containsKey(customer) ? "has" : "lacks") + " it");
        }
    }

    /** The rows of {@code sql} (id, value) that differ from {@code expected}, and the expected ones missing. */
    private List<String> differences(String sql, Map<Long, ?> expected) throws SQLException {
        Map<Long, String> read = new HashMap<>();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                read.put(r.getLong(1), r.getString(2));
            }
        }
        Map<Long, String> differ = new TreeMap<>();
        Set<Long> ids = new HashSet<>(read.keySet());
        ids.addAll(expected.keySet());
        for (long id : ids) {
            Object wanted = expected.get(id);
            String wantedText = wanted == null ? null : wanted.toString();
            if (!Objects.equals(wantedText, read.get(id))) {
                differ.put(id, "written " + wantedText + ", read " + read.get(id));
            }
        }
        return differ.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }
}
