package dev.tandem.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CreateTableTest {
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
    void createsTableWithItsConstraintsForTheNewVersion() throws Exception {
        Cycle.onShop(db).migration("create_table.yaml").whileExpanded((db, v) -> {
            String newVersion = v + ", public";
            // the old version adds a product, the new version reviews it through its view
            db.execute("INSERT INTO products (id, sku, title, price) VALUES (1000, 'SKU-NEW', 'New', 1)");
            db.execute("SET search_path TO " + newVersion,
                    "INSERT INTO product_reviews (product_id, customer_id, rating, body, external_ref) "
                            + "VALUES (1000, 1, 5, 'great', 'r-1')");
            assertThat(db.rows(newVersion, "SELECT p.title, r.rating, r.created_at IS NOT NULL FROM product_reviews r "
                    + "JOIN products p ON p.id = r.product_id")).containsExactly("New|5|t");
            assertThat(db.value("SELECT col_description('public.product_reviews'::regclass, 5)"))
                    .isEqualTo("Free text, may be empty");
            // every constraint holds from the start
            assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                    "INSERT INTO product_reviews (product_id, rating) VALUES (1000, 6)"))
                    .hasMessageContaining("product_reviews_rating_check");
            assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                    "INSERT INTO product_reviews (product_id, rating) VALUES (999999, 1)"))
                    .hasMessageContaining("product_reviews_product_id_fkey");
            assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                    "INSERT INTO product_reviews (product_id, rating, external_ref) VALUES (1000, 1, 'r-1')"))
                    .hasMessageContaining("product_reviews_external_ref_key");
            assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                    "INSERT INTO product_reviews (product_id) VALUES (1000)"))
                    .hasMessageContaining("rating");
            // the old version's delete cascades to the new version's rows
            db.execute("DELETE FROM products WHERE id = 1000");
            assertThat(db.rows(newVersion, "SELECT count(*) FROM product_reviews")).containsExactly("0");
        }).afterContract((db, v) -> {
            assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.product_reviews'::regclass "
                    + "AND convalidated")).isEqualTo("5");
            assertThat(db.value("SELECT obj_description('public.product_reviews'::regclass, 'pg_class')"))
                    .isEqualTo("One customer's opinion of one product");
            db.execute("SET search_path TO " + v + ", public",
                    "INSERT INTO product_reviews (product_id, customer_id, rating) VALUES (2, 2, 4)");
            assertThat(db.value("SELECT rating FROM product_reviews WHERE product_id = 2")).isEqualTo("4");
            assertThat(db.rows(v + ", public", "SELECT rating FROM product_reviews")).containsExactly("4");
        }).run();
    }
}
