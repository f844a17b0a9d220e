package dev.tandem.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlterColumnTest {
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void changesTypeAndRenamesInOneMigration() throws Exception {
        pricesInCents("price_in_cents.yaml");
    }

    @Test
    void renamesThenChangesType() throws Exception {
        pricesInCents("price_in_cents_renamed_first.yaml");
    }

    private void pricesInCents(String example) throws Exception {
        Cycle.onShop(db).migration(example).whileExpanded((db, v) -> {
            String newVersion = v + ", public";
            // existing rows: the old version still reads numeric prices
            assertThat(db.value("SELECT price FROM products WHERE id = 1")).isEqualTo("1.25");
            // each version's insert is seen converted by the other
            db.execute("INSERT INTO products (sku, title, price) VALUES ('OLD', 'Old', 12.34)");
            assertThat(db.rows(newVersion, "SELECT price_cents FROM products WHERE sku = 'OLD'")).containsExactly("1234");
            db.executeIn(newVersion, "INSERT INTO products (sku, title, price_cents) VALUES ('NEW', 'New', 999)");
            assertThat(db.value("SELECT price FROM products WHERE sku = 'NEW'")).isEqualTo("9.99");
            // and so is each version's update
            db.execute("UPDATE products SET price = 1.5 WHERE sku = 'NEW'");
            assertThat(db.rows(newVersion, "SELECT price_cents FROM products WHERE sku = 'NEW'")).containsExactly("150");
            db.executeIn(newVersion, "UPDATE products SET price_cents = 250 WHERE sku = 'OLD'");
            assertThat(db.value("SELECT price FROM products WHERE sku = 'OLD'")).isEqualTo("2.50");
            // an update of another column keeps the other version's value
            db.executeIn(newVersion, "UPDATE products SET title = 'Newer' WHERE sku = 'NEW'");
            assertThat(db.value("SELECT price FROM products WHERE sku = 'NEW'")).isEqualTo("1.50");
            db.execute("UPDATE products SET title = 'Older' WHERE sku = 'OLD'");
            assertThat(db.rows(newVersion, "SELECT price_cents FROM products WHERE sku = 'OLD'")).containsExactly("250");
            // either version updates a row the backfill has not reached yet
            db.execute("UPDATE products SET title = 'Renamed' WHERE id = 2");
            assertThat(db.rows(newVersion, "SELECT price_cents FROM products WHERE id = 2")).containsExactly("250");
            db.executeIn(newVersion, "UPDATE products SET title = 'Renamed' WHERE id = 3");
            assertThat(db.rows(newVersion, "SELECT price_cents FROM products WHERE id = 3")).containsExactly("375");
            assertThat(db.value("SELECT price FROM products WHERE id = 3")).isEqualTo("3.75");
            // the new version neither sees the old column nor may leave the new one empty
            assertThatThrownBy(() -> db.rows(newVersion, "SELECT price FROM products"))
                    .hasMessageContaining("column \"price\" does not exist");
            assertThatThrownBy(() -> db.executeIn(newVersion, "INSERT INTO products (sku, title) VALUES ('X', 'X')"))
                    .hasMessageContaining("violates not-null constraint");
            db.execute("DELETE FROM products WHERE sku IN ('OLD', 'NEW')");
        }).afterContract((db, v) -> {
            assertThat(db.rows("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                    + "WHERE table_schema = 'public' AND table_name = 'products' AND column_name LIKE 'price%'"))
                    .containsExactly("price_cents|bigint|NO");
            assertThat(db.rows("SELECT id, price_cents FROM products WHERE id IN (1, 2, 50) ORDER BY id"))
                    .containsExactly("1|125", "2|250", "50|6250");
            assertThat(db.rows(v, "SELECT price_cents FROM products WHERE id = 3")).containsExactly("375");
        }).run();
    }
}
