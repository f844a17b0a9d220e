package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.BetweenStatements;
import dev.tandem.coordinator.testing.Examples;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MariaDB commits each statement of expand on its own, so the application writes between any two of them, and a
 * table's triggers come in place one after the other. The backfill leaves alone what a trigger has filled already (a
 * target no longer NULL, a row the other table has), so once a trigger fills a row, every later write of that row
 * must find the triggers that keep it in step. Here the served versions write between any two statements of expand
 * (rows inserted and changed at once, or the next time), and after the backfill every write reads back right.
 */
class MariaDbWritesDuringExpandTest {
    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    /** Sync triggers, of one migration and of one stacked on it whose rules chain with its own on {@code total}. */
    @Test
    void syncTriggersOfAMigrationAndOfOneStackedOnIt() {
        db.execute("CREATE TABLE items (id INT PRIMARY KEY, qty INT NOT NULL, price INT NOT NULL)");
        ServedWrites writes = new ServedWrites();
        Tandem tandem = between(sql -> writes.run());
        writes.served.add(null);
        tandem.expand(Examples.inline("totals",
                "add_column: {table: items, column: {name: total, type: integer, nullable: true}, up: qty * price}",
                "rename_column: {table: items, from: price, to: unit_price}"));
        writes.served.add(tandem.status().get(0).versionSchema());
        tandem.backfill("totals", BackfillListener.NONE);
        tandem.expand(Examples.inline("wider_totals",
                "alter_column: {table: items, column: total, type: bigint, up: total, down: total}"));
        writes.served.clear();
        tandem.backfill("wider_totals", BackfillListener.NONE);

        assertThat(writes.rows).hasSizeGreaterThan(40);
        assertThat(db.rows("SELECT id, qty, price FROM items ORDER BY id")).containsExactlyElementsOf(
                writes.rows.entrySet().stream().map(r -> r.getKey() + "|" + r.getValue()[0] + "|" + r.getValue()[1])
                        .toList());
        List<String> rows = writes.rows.entrySet().stream().map(r -> r.getKey() + "|" + r.getValue()[0] + "|"
                + r.getValue()[1] + "|" + r.getValue()[2]).toList();
        for (MigrationStatus version : tandem.status()) {
            assertThat(db.rows(version.versionSchema(), "SELECT id, qty, unit_price, total FROM items ORDER BY id"))
                    .as("version %s", version.name()).containsExactlyElementsOf(rows);
        }
    }

    /** The table copy's triggers: rows updated or deleted after the insert trigger put them in the copy. */
    @Test
    void tableCopyTriggers() {
        db.execute("CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT)",
                "INSERT INTO items (qty) SELECT seq FROM seq_1_to_10");
        List<String> later = new ArrayList<>();
        boolean[] expanding = {true};
        int[] next = {100};
        Tandem tandem = between(sql -> {
            if (expanding[0]) {
                db.execute(later.toArray(String[]::new));
                later.clear();
                int id = next[0];
                next[0] += 4;
                db.execute("INSERT INTO items (id, qty) VALUES (" + id + ", 1), (" + (id + 1) + ", 1), (" + (id + 2)
                        + ", 1), (" + (id + 3) + ", 1)", "UPDATE items SET qty = 2 WHERE id = " + id,
                        "DELETE FROM items WHERE id = " + (id + 1));
                later.addAll(List.of("UPDATE items SET qty = 3 WHERE id = " + (id + 2),
                        "DELETE FROM items WHERE id = " + (id + 3)));
            }
        });
        Migration migration = Examples.inline("qty_bigint", "alter_column: {table: items, column: qty, type: bigint,"
                + " up: qty, down: qty}");
        tandem.expand(migration);
        expanding[0] = false;
        db.execute(later.toArray(String[]::new));
        tandem.backfill(migration.name(), BackfillListener.NONE);
        String v = tandem.status().get(0).versionSchema();

        List<String> rows = db.rows("SELECT id, qty FROM items ORDER BY id");
        assertThat(rows).hasSizeGreaterThan(40);
        assertThat(db.rows(v, "SELECT id, qty FROM items ORDER BY id")).containsExactlyElementsOf(rows);
        tandem.contract(migration.name());
        assertThat(db.rows(v, "SELECT id, qty FROM items ORDER BY id")).containsExactlyElementsOf(rows);
    }

    /** move_column's trigger, which upserts the other table's row: phones changed after their row was put there. */
    @Test
    void rowCopyTriggers() {
        db.execute(Examples.schema("shop-mariadb.sql"));
        List<String> later = new ArrayList<>();
        boolean[] expanding = {true};
        int[] next = {10_000};
        Tandem tandem = between(sql -> {
            if (expanding[0]) {
                db.execute(later.toArray(String[]::new));
                later.clear();
                int id = next[0];
                next[0] += 2;
                db.execute("INSERT INTO customers (id, email, first_name, last_name, phone) VALUES (" + id + ", 'c"
                        + id + "', 'f', 'l', 'first'), (" + (id + 1) + ", 'c" + (id + 1) + "', 'f', 'l', 'first')",
                        "UPDATE customers SET phone = 'second' WHERE id = " + id);
                later.add("UPDATE customers SET phone = 'second' WHERE id = " + (id + 1));
            }
        });
        Migration migration = Examples.migration("move_column.yaml");
        tandem.expand(migration);
        expanding[0] = false;
        db.execute(later.toArray(String[]::new));
        tandem.backfill(migration.name(), BackfillListener.NONE);

        List<String> phones = db.rows("SELECT id, phone FROM customers WHERE id >= 10000 ORDER BY id");
        assertThat(phones).hasSizeGreaterThan(20).allMatch(row -> row.endsWith("|second"));
        assertThat(db.rows(tandem.status().get(0).versionSchema(), "SELECT customer_id, phone FROM customer_phones"
                + " WHERE customer_id >= 10000 ORDER BY customer_id")).containsExactlyElementsOf(phones);
    }

    /** Tandem on this database, {@code write} running after each statement it runs. */
    private Tandem between(Consumer<String> write) {
        return Tandem.create(BetweenStatements.of(db.pool(null, 4), write),
                TandemConfig.builder().schema(db.name()).build());
    }

    /**
     * Each served version ({@code null}: the one before the migrations) inserts two rows of its own, updates one of
     * them at once and the other the next time, changing their totals, and never writes them again (a later update
     * would hide a lost one); the rows as every shape must show them: qty, price, total.
     */
    private final class ServedWrites {
        final List<String> served = new ArrayList<>();
        final Map<Integer, int[]> rows = new TreeMap<>();
        private final Map<String, Integer> updatedNext = new HashMap<>();
        private int id;

        void run() {
            for (String version : served) {
                Integer previous = updatedNext.remove(String.valueOf(version));
                if (previous != null) {
                    update(version, previous);
                }
                update(version, insert(version));
                updatedNext.put(String.valueOf(version), insert(version));
            }
        }

        private int insert(String version) {
            int[] row = {1 + id % 7, 2 + id % 5, 0};
            row[2] = version == null ? row[0] * row[1] : 1000 + id;
            db.executeIn(version, version == null
                    ? "INSERT INTO items (id, qty, price) VALUES (" + id + ", " + row[0] + ", " + row[1] + ")"
                    : "INSERT INTO items (id, qty, unit_price, total) VALUES (" + id + ", " + row[0] + ", " + row[1]
                    + ", " + row[2] + ")");
            rows.put(id, row);
            return id++;
        }

        private void update(String version, int key) {
            int[] row = rows.get(key);
            row[0]++;
            row[2] = version == null ? row[0] * row[1] : row[2] + 100;
            db.executeIn(version, "UPDATE items SET qty = " + row[0] + (version == null ? "" : ", total = " + row[2])
                    + " WHERE id = " + key);
        }
    }
}
