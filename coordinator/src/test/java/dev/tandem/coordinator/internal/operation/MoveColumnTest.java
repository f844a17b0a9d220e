package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.CrashingCycle;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.TestTemplate;

/**
 * move_column.yaml moves customers.phone into customer_phones: while both versions run, each one's writes reach the
 * other's column; the backfill copies the phones that were there; contract leaves only customer_phones.phone.
 */
@BothDatabases
class MoveColumnTest {
    /** 200 customers, every third without a phone. */
    private static final int PHONES = 134;

    @TestTemplate
    void eachVersionsWritesReachTheOthersTableAndTheBackfillCopiesTheRest(OnDatabase on) throws Exception {
        on.postgres(pg -> Cycle.onShop(pg).migration("move_column.yaml")
                .whileExpanded((db, v) -> bothVersionsWrite(db, v + ", public"))
                .afterContract((db, v) -> moved(db, v + ", public")).run());
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("move_column.yaml")
                .whileExpanded((db, v) -> bothVersionsWrite(db, v))
                .afterContract((db, v) -> moved(db, v)).run());
    }

    @TestTemplate
    void keepSourceCopiesAndKeepsTheColumn(OnDatabase on) throws Exception {
        String table = "create_table: {table: customer_phones, columns: [{name: customer_id, type: bigint, "
                + "primary_key: true}, {name: phone, type: varchar(40)}]}";
        String copy = "move_column: {table: customers, column: phone, keep_source: true, "
                + "to: {table: customer_phones, column: phone, key: customer_id}}";
        Cycle.Check<StatementsAsVersion> copied = (db, newVersion) -> {
            assertThat(db.value(newVersion, "SELECT COUNT(*) FROM customer_phones")).isEqualTo(String.valueOf(PHONES));
            assertThat(db.value(newVersion, "SELECT phone FROM customers WHERE id = 4")).isEqualTo("555-4");
            assertThat(db.value(newVersion, "SELECT phone FROM customer_phones WHERE customer_id = 4")).isEqualTo("555-4");
        };
        on.postgres(pg -> Cycle.onShop(pg).inline("copy_phone", table, copy)
                .whileExpanded((db, v) -> {
                    db.executeIn(v + ", public", "UPDATE customers SET phone = 'both' WHERE id = 5");
                    assertThat(db.value(v + ", public", "SELECT phone FROM customer_phones WHERE customer_id = 5"))
                            .as("the new version's write of the kept column is its own: nothing copies it").isNull();
                })
                .afterContract((db, v) -> copied.check(db, v + ", public")).run());
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).inline("copy_phone", table, copy)
                .afterContract((db, v) -> copied.check(db, v)).run());
    }

    @TestTemplate
    void theBackfillAndBothVersionsWritingAtOnceLeaveBothTablesEqual(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            pg.execute(Examples.shop());
            underTraffic(pg, pg.tandem(), v -> v + ", public");
        });
        on.mariaDb(maria -> {
            maria.execute(Examples.schema("shop-mariadb.sql"));
            underTraffic(maria, maria.tandem(), v -> v);
        });
    }

    /**
     * Old-version writers change customers' phones and new-version writers the phones in customer_phones while the
     * backfill copies: afterwards every phone is the same in both tables. Each version writes its own customers: the
     * same row written through both versions at once takes the two tables' row locks in opposite orders, which the
     * database may end as a deadlock (docs/operations.md#move_column).
     */
    private static void underTraffic(StatementsAsVersion db, Tandem tandem, UnaryOperator<String> path)
            throws Exception {
        Migration migration = Examples.migration("move_column.yaml");
        tandem.expand(migration);
        String newVersion = path.apply(tandem.status().get(0).versionSchema());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(threads.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        long id = 1 + writer + 4L * (i % 40);
                        String phone = "'w" + writer + "-" + i + "'";
                        if (writer % 2 == 0) {
                            db.execute("UPDATE customers SET phone = " + phone + " WHERE id = " + id);
                        } else {
                            db.executeIn(newVersion, "UPDATE customer_phones SET phone = " + phone
                                    + " WHERE customer_id = " + id);
                        }
                    }
                    return null;
                }));
            }
            tandem.backfill(migration.name(), BackfillListener.NONE);
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            threads.shutdownNow();
        }
        TreeMap<String, String> old = new TreeMap<>();
        db.rows("SELECT id, phone FROM customers WHERE phone IS NOT NULL").forEach(row -> old.put(
                row.substring(0, row.indexOf('|')), row.substring(row.indexOf('|') + 1)));
        TreeMap<String, String> moved = new TreeMap<>();
        db.rows(newVersion, "SELECT customer_id, phone FROM customer_phones WHERE phone IS NOT NULL").forEach(row ->
                moved.put(row.substring(0, row.indexOf('|')), row.substring(row.indexOf('|') + 1)));
        // the old version's writers gave a phone to customers that had none, the new version's changed others
        assertThat(moved).isEqualTo(old).hasSizeGreaterThan(PHONES).containsValue("w1-58").containsValue("w0-59");
        assertThat(tandem.verify(migration.name(), 0)).singleElement()
                .satisfies(check -> assertThat(check.pending() + check.differing()).isZero());
        // behind the triggers' back: one phone changed, one row gone; backfill --verify names both by key
        db.execute("UPDATE customer_phones SET phone = 'drifted' WHERE customer_id = 1",
                "DELETE FROM customer_phones WHERE customer_id = 2");
        assertThat(tandem.verify(migration.name(), 0)).singleElement().satisfies(check -> {
            assertThat(check.differingKeys()).containsExactly("[\"1\"]");
            assertThat(check.pendingKeys()).containsExactly("[\"2\"]");
        });
        db.execute("UPDATE customers SET phone = 'repaired' WHERE id IN (1, 2)");
        tandem.contract(migration.name());
        assertThat(db.rows(newVersion, "SELECT COUNT(*) FROM customer_phones")).containsExactly(String.valueOf(moved.size()));
    }

    @TestTemplate
    void everyPhaseResumesAfterACrashBetweenAnyTwoStepsWhileTheVersionsWrite(OnDatabase on) throws Exception {
        CrashingCycle.onEachShop(on, MoveColumnTest::crashAfterEveryStep);
    }

    /** The old version changes customer 1's phone after each stop of expand and rollback, the new one customer 4's. */
    private static void crashAfterEveryStep(StatementsAsVersion db, Function<Consumer<String>, Tandem> tandemWith,
                                            UnaryOperator<String> path, Supplier<List<String>> catalog) {
        int[] oldWrites = {0};
        int[] newWrites = {0};
        String version = CrashingCycle.run(Examples.migration("move_column.yaml"), tandemWith, catalog,
                () -> db.execute("UPDATE customers SET phone = 'old-" + ++oldWrites[0] + "' WHERE id = 1"),
                () -> { },
                v -> db.executeIn(path.apply(v), "UPDATE customer_phones SET phone = 'new-" + ++newWrites[0]
                        + "' WHERE customer_id = 4"));
        String newVersion = path.apply(version);
        assertThat(db.rows(newVersion, "SELECT customer_id, phone FROM customer_phones WHERE customer_id IN (1, 4)"
                + " ORDER BY customer_id")).containsExactly("1|old-" + oldWrites[0], "4|new-" + newWrites[0]);
        assertThat(db.value(newVersion, "SELECT COUNT(*) FROM customer_phones")).isEqualTo(String.valueOf(PHONES));
    }

    @TestTemplate
    void refusesBeforeAnythingChanges(OnDatabase on) throws Exception {
        String table = "create_table: {table: customer_phones, columns: [{name: customer_id, type: bigint, "
                + "primary_key: true}, {name: phone, type: varchar(40)}, {name: email, type: varchar(255)}]}";
        assertThatThrownBy(() -> Examples.inline("no_key", table, "move_column: {table: customers, column: phone, "
                + "to: {table: customer_phones, column: phone}}"))
                .hasMessageContaining("no_key.yaml: operation 2 (move_column)").hasMessageContaining("missing 'to.key'");
        assertThatThrownBy(() -> Examples.inline("unknown", table, "move_column: {table: customers, column: phone, "
                + "keep: true, to: {table: customer_phones, column: phone, key: customer_id}}"))
                .hasMessageContaining("unknown.yaml: operation 2 (move_column)").hasMessageContaining("keep");
        on.postgres(pg -> Cycle.onShop(pg).inline("same_table", "move_column: {table: customers, column: phone, "
                + "to: {table: customers, column: email, key: id}}").refused("operation 1 (move_column)",
                "'to.table' is 'customers' itself"));
        on.mariaDb(maria -> {
            Cycle.onMariaDbExampleShop(maria).inline("not_null", table, "move_column: {table: customers, column: email, "
                    + "to: {table: customer_phones, column: email, key: customer_id}}").refused(
                    "operation 2 (move_column)", "column 'email' is NOT NULL without a default");
            Cycle.on(maria).inline("nowhere", "move_column: {table: customers, column: phone, "
                    + "to: {table: customer_phones, column: phone, key: customer_id}}").refused(
                    "operation 1 (move_column)", "table 'customer_phones' does not exist");
        });
    }

    /** Writes through each version, read through the other; leaves customer 2 without a phone. */
    private static void bothVersionsWrite(StatementsAsVersion db, String newVersion) {
        assertThatThrownBy(() -> db.rows(newVersion, "SELECT phone FROM customers")).hasMessageContaining("phone");
        // the old version writes customers.phone: the new version reads it in customer_phones (the value differs
        // from the one before, also when the cycle expands a second time: an update that changes nothing copies nothing)
        db.execute("UPDATE customers SET phone = '555-1' WHERE id = 1", "UPDATE customers SET phone = 'old-1' WHERE id = 1");
        assertThat(db.value(newVersion, "SELECT phone FROM customer_phones WHERE customer_id = 1")).isEqualTo("old-1");
        db.execute("UPDATE customers SET first_name = 'Renamed' WHERE id = 1");
        db.execute("INSERT INTO customers (email, first_name, last_name, phone) VALUES ('moved@example.com', 'M', 'M', "
                + "'old-new')");
        assertThat(db.value(newVersion, "SELECT p.phone FROM customer_phones p JOIN customers c ON c.id = p.customer_id"
                + " WHERE c.email = 'moved@example.com'")).isEqualTo("old-new");
        // the new version writes customer_phones: the old version reads it in customers.phone
        db.executeIn(newVersion, "INSERT INTO customer_phones (customer_id, phone) VALUES (3, 'new-3')");
        assertThat(db.value("SELECT phone FROM customers WHERE id = 3")).isEqualTo("new-3");
        db.executeIn(newVersion, "INSERT INTO customer_phones (customer_id, phone) VALUES (2, 'new-2')");
        db.executeIn(newVersion, "UPDATE customer_phones SET phone = 'newer-2' WHERE customer_id = 2");
        assertThat(db.value("SELECT phone FROM customers WHERE id = 2")).isEqualTo("newer-2");
        db.executeIn(newVersion, "DELETE FROM customer_phones WHERE customer_id = 2");
        assertThat(db.value("SELECT phone FROM customers WHERE id = 2")).isEqualTo("null");
        // a new-version write the old version then changes
        db.execute("UPDATE customers SET phone = 'old-3' WHERE id = 3");
        assertThat(db.value(newVersion, "SELECT phone FROM customer_phones WHERE customer_id = 3")).isEqualTo("old-3");
        db.execute("DELETE FROM customers WHERE email = 'moved@example.com'");
        assertThat(db.value(newVersion, "SELECT COUNT(*) FROM customer_phones")).isEqualTo("2");
    }

    /** The phone column is gone; every customer that had a phone has it in customer_phones. */
    private static void moved(StatementsAsVersion db, String newVersion) {
        assertThatThrownBy(() -> db.rows("SELECT phone FROM customers")).hasMessageContaining("phone");
        UnaryOperator<String> phone = id -> db.value(newVersion, "SELECT phone FROM customer_phones WHERE customer_id = "
                + id);
        assertThat(phone.apply("1")).isEqualTo("old-1");
        assertThat(phone.apply("2")).isNull();
        assertThat(phone.apply("3")).isEqualTo("old-3");
        assertThat(phone.apply("4")).isEqualTo("555-4");
        // 134 phones, less customer 2's, plus customer 3's, who had none
        assertThat(db.value(newVersion, "SELECT COUNT(*) FROM customer_phones")).isEqualTo(String.valueOf(PHONES));
        db.executeIn(newVersion, "UPDATE customer_phones SET phone = 'after' WHERE customer_id = 4");
        assertThat(phone.apply("4")).isEqualTo("after");
    }
}
