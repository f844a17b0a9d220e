package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
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
}
