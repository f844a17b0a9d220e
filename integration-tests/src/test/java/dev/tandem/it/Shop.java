package dev.tandem.it;

import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shop schema of the examples with as many extra products and orders as a test wants. Every product's
 * legacy_code holds its price as text, so a test can tell later which price_cents each row must end with.
 */
final class Shop {
    /** Our migration: products.price becomes price_cents (bigint), orders gain shipped and an index on it. */
    static final String MIGRATION_FILE = "it_price_in_cents.yaml";

    private Shop() {
    }

    static Migration migration() {
        return Examples.migration(MIGRATION_FILE);
    }

    static void create(TestDatabase db, int extraProducts, int extraOrders) {
        db.execute(Examples.shop());
        db.execute(
                "INSERT INTO products (sku, title, price) SELECT 'BULK-' || g, 'Bulk product ' || g, "
                        + "(g % 10000) * 0.37 FROM generate_series(1, " + extraProducts + ") AS g",
                "UPDATE products SET legacy_code = price::text",
                "INSERT INTO orders (customer_id, product_id, quantity, status, note) SELECT 1 + g % 200, "
                        + "1 + g % 50, 1 + g % 5, CASE WHEN g % 3 = 0 THEN 'shipped' ELSE 'new' END, 'bulk ' || g "
                        + "FROM generate_series(1, " + extraOrders + ") AS g");
    }

    /** Every row of the shop's tables as JSON, without the creation times (they differ between databases). */
    static List<String> data(TestDatabase db) {
        List<String> tables = List.of("customers", "products", "orders", "audit_log");
        String union = tables.stream().map(table -> "SELECT " + tables.indexOf(table) + " AS n, id, '" + table
                + " ' || (to_jsonb(t) - 'created_at')::text AS line FROM " + table + " AS t")
                .collect(Collectors.joining(" UNION ALL "));
        return db.rows("SELECT line FROM (" + union + ") AS shop ORDER BY n, id");
    }
}
