package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Between expand and the end of the backfill, rows the backfill has not reached have their new columns
 * empty, and the NOT VALID checks on those columns refuse any new row version that leaves them so. An update
 * of such a row, by either version, must still work, and fills the columns as the backfill would.
 */
class UpdateBeforeBackfillTest {

    @Test
    void eitherVersionUpdatesRowsTheBackfillHasNotReached() {
        try (TestDatabase db = TestDatabase.create()) {
            Shop.create(db, 0, 0);
            Tandem tandem = db.tandem();
            tandem.expand(Shop.migration());
            String newVersion = tandem.status().get(0).versionSchema() + ", public";

            db.execute("UPDATE products SET title = 'old touch' WHERE id = 1",
                    "UPDATE orders SET quantity = 5 WHERE id = 4");
            db.execute("SET search_path TO " + newVersion,
                    "UPDATE products SET title = 'new touch' WHERE id = 2",
                    "UPDATE orders SET quantity = 5 WHERE id = 8",
                    "UPDATE products SET price_cents = 777 WHERE id = 3");

            assertThat(db.rows(newVersion, "SELECT id, price_cents FROM products WHERE id <= 4 ORDER BY id"))
                    .containsExactly("1|125", "2|250", "3|777", "4|null");
            assertThat(db.rows(newVersion, "SELECT id, shipped FROM orders WHERE id IN (4, 5, 8) ORDER BY id"))
                    .containsExactly("4|t", "5|null", "8|t");
            assertThat(db.value("SELECT price FROM products WHERE id = 3")).isEqualTo("7.77");
        }
    }

    /**
     * A unique index built for the new version holds over the rows filled so far: a duplicate of a row the backfill
     * has not reached gets in, and the backfill stops at that row saying why; contract waits for it. Once one of the
     * rows changes, the backfill finishes.
     */
    @Test
    void aDuplicateOfARowTheBackfillHasNotReachedStopsTheBackfillWithTheReason() {
        try (TestDatabase db = TestDatabase.create()) {
            Shop.create(db, 0, 0);
            Tandem tandem = db.tandem();
            tandem.expand(Examples.migration("alter_column_unique.yaml"));
            String sku = db.value("SELECT sku FROM products WHERE id = 1");
            db.execute("INSERT INTO products (sku, title, price) VALUES ('" + sku + "', 'copy', 1)");

            assertThatThrownBy(() -> tandem.backfill("unique_sku", BackfillListener.NONE))
                    .hasMessageContaining("backfill of table 'products' failed")
                    .hasMessageContaining("for a unique one, another row already holds that value: one written (by "
                            + "either version) before the backfill reached this row, or already there before expand")
                    .hasMessageContaining("run backfill again, or roll back");
            assertThatThrownBy(() -> tandem.contract("unique_sku")).hasMessageContaining("run backfill first");

            db.execute("UPDATE products SET sku = sku || '-copy' WHERE title = 'copy'");
            tandem.backfill("unique_sku", BackfillListener.NONE);
            tandem.contract("unique_sku");
        }
    }

    /**
     * A new-version update that sets a new column of such a row to NULL, or computes it from the NULL it reads
     * there, is refused: filling it from up instead would lose the write (an increment) or change it (an explicit
     * NULL). Nothing of the refused statement is left, and the backfill then fills the rows as usual.
     */
    @Test
    void aNewVersionUpdateThatSetsAnUnfilledColumnToNullIsRefused() {
        try (TestDatabase db = TestDatabase.create()) {
            Shop.create(db, 0, 0);
            Tandem tandem = db.tandem();
            tandem.expand(Shop.migration());
            String newVersion = tandem.status().get(0).versionSchema() + ", public";
            String price = db.value("SELECT price FROM products WHERE id = 5");

            assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                    "UPDATE products SET price_cents = price_cents + 10 WHERE id = 5"))
                    .hasMessageContaining("null value in column \"price_cents\" of relation \"products\" violates "
                            + "not-null constraint (NOT NULL in the new version)")
                    .hasMessageContaining("Run `migrate backfill` to the end before the new version writes");
            assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                    "UPDATE orders SET shipped = NULL WHERE id = 6"))
                    .hasMessageContaining("null value in column \"shipped\" of relation \"orders\" violates not-null "
                            + "constraint")
                    .hasMessageContaining("the backfill has not reached this row yet");
            assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                    "UPDATE orders SET shipped = NOT shipped WHERE id = 7"))
                    .hasMessageContaining("null value in column \"shipped\"");

            assertThat(db.value("SELECT price FROM products WHERE id = 5")).isEqualTo(price);
            assertThat(db.rows(newVersion, "SELECT id, shipped FROM orders WHERE id IN (6, 7) ORDER BY id"))
                    .containsExactly("6|null", "7|null");
            // on a filled row the same statements do what they say
            db.execute("SET search_path TO " + newVersion,
                    "UPDATE products SET price_cents = 300 WHERE id = 5",
                    "UPDATE products SET price_cents = price_cents + 10 WHERE id = 5");
            assertThat(db.value("SELECT price FROM products WHERE id = 5")).isEqualTo("3.10");

            tandem.backfill(Shop.migration().name(), BackfillListener.NONE);
            assertThat(db.rows(newVersion, "SELECT count(*) FROM orders WHERE shipped IS NULL")).containsExactly("0");
            db.execute("SET search_path TO " + newVersion, "UPDATE orders SET shipped = NOT shipped WHERE id = 7");
            assertThat(db.value("SELECT status FROM orders WHERE id = 7")).isNotNull();
        }
    }

    /**
     * A column the new version may hold NULL: setting it to NULL on a row the backfill has not reached is refused
     * only where the backfill would put a value there, as the statement may have computed it from the NULL it read.
     */
    @Test
    void aNullableUnfilledColumnIsRefusedOnlyWhereTheBackfillWouldFillIt() {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("CREATE TABLE stock (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, qty int, other int)",
                    "INSERT INTO stock (qty, other) VALUES (5, 0), (NULL, 0)");
            Tandem tandem = db.tandem();
            tandem.expand(Examples.inline("label_stock",
                    "add_column: {table: stock, column: {name: label, type: text}, up: \"'q' || qty\"}"));
            String newVersion = tandem.status().get(0).versionSchema() + ", public";

            assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                    "UPDATE stock SET label = label || '!' WHERE id = 1"))
                    .hasMessageContaining("Tandem: the new version's update sets column \"label\" of \"stock\" to "
                            + "NULL on a row the backfill has not reached yet")
                    .hasMessageContaining("Run `migrate backfill` to the end before the new version writes");
            db.execute("SET search_path TO " + newVersion, "UPDATE stock SET label = NULL WHERE id = 2",
                    "UPDATE stock SET other = 1 WHERE id = 1");
            assertThat(db.rows(newVersion, "SELECT id, label, other FROM stock ORDER BY id"))
                    .containsExactly("1|null|1", "2|null|0");

            tandem.backfill("label_stock", BackfillListener.NONE);
            db.execute("SET search_path TO " + newVersion, "UPDATE stock SET label = label || '!' WHERE id = 1");
            assertThat(db.rows(newVersion, "SELECT id, label FROM stock ORDER BY id"))
                    .containsExactly("1|q5!", "2|null");
        }
    }
}
