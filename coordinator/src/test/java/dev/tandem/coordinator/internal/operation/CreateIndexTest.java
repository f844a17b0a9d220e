package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.PlanReport;
import dev.tandem.coordinator.PlannedStatement;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.RegisterExtension;

@BothDatabases
class CreateIndexTest {
    private static final String INDEXES = "SELECT c.relname || ' valid=' || x.indisvalid FROM pg_index x "
            + "JOIN pg_class c ON c.oid = x.indexrelid WHERE c.relname IN "
            + "('orders_customer_created_idx', 'orders_open_idx', 'products_sku_idx') ORDER BY 1";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void buildsUniquePartialAndMultiColumnIndexesConcurrently(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("create_index.yaml").whileExpanded((db, v) -> {
                assertThat(db.rows(INDEXES)).containsExactly("orders_customer_created_idx valid=true",
                        "orders_open_idx valid=true", "products_sku_idx valid=true");
                assertThat(db.value("SELECT pg_get_indexdef('orders_open_idx'::regclass)"))
                        .endsWith("USING btree (customer_id) WHERE (status = 'new'::text)");
                assertThat(db.value("SELECT pg_get_indexdef('orders_customer_created_idx'::regclass)"))
                        .endsWith("USING btree (customer_id, created_at)");
                // the unique index guards both versions' writes
                db.execute("INSERT INTO products (sku, title, price) VALUES ('SKU-X', 'Old', 1)");
                assertThatThrownBy(() -> db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO products (sku, title, price) VALUES ('SKU-X', 'New', 1)"))
                        .hasMessageContaining("products_sku_idx");
                db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO products (sku, title, price) VALUES ('SKU-Y', 'New', 1)");
                assertThatThrownBy(() -> db.execute("INSERT INTO products (sku, title, price) VALUES ('SKU-Y', 'Old', 1)"))
                        .hasMessageContaining("products_sku_idx");
                assertThat(db.rows(v + ", public", "SELECT sku FROM products WHERE id > 50 ORDER BY sku"))
                        .containsExactly("SKU-X", "SKU-Y");
                db.execute("DELETE FROM products WHERE id > 50");
            }).afterContract((db, v) -> {
                assertThat(db.rows(INDEXES)).containsExactly("orders_customer_created_idx valid=true",
                        "orders_open_idx valid=true", "products_sku_idx valid=true");
                String openOrders = "SELECT count(*) FROM orders WHERE status = 'new' AND customer_id = 2";
                assertThat(db.rows(v + ", public", openOrders)).containsExactly(db.value(openOrders));
            }).run();
        });
        on.mariaDb(maria -> {
            String indexes = "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME LIKE '%\\_idx'";
            // led by customer_id, MariaDB drops the foreign key's own index: rollback gives it back
            Cycle.onMariaDbShop(maria).inline("index_orders",
                            "create_index: {name: orders_quantity_customer_idx, table: orders, columns: [quantity, customer_id]}",
                            "create_index: {name: orders_customer_quantity_idx, table: orders, columns: [customer_id, quantity]}",
                            "create_index: {name: customers_phone_idx, table: customers, columns: [phone], unique: true}")
                    .whileExpanded((db, v) -> {
                        assertThat(db.value(indexes)).isEqualTo("customers_phone_idx,orders_customer_quantity_idx,"
                                + "orders_quantity_customer_idx");
                        db.executeIn(v, "INSERT INTO customers (email, first_name, last_name, phone) VALUES ('n@x', 'N', 'N', '1')");
                        db.execute("DELETE FROM customers WHERE email = 'n@x'");
                    })
                    .afterContract((db, v) -> assertThat(db.value(indexes))
                            .isEqualTo("customers_phone_idx,orders_customer_quantity_idx,orders_quantity_customer_idx"))
                    .run();
        });
        // the example itself is refused for its partial index
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("create_index.yaml").refused(
                "create_index.yaml: operation 2 (create_index)", "a partial index"));
    }

    @Test
    void buildsEachIndexAfterTheExpandTransaction() {
        db.execute(Examples.shop());
        Migration migration = Examples.migration("create_index.yaml");
        PlanReport plan = db.tandem().plan(migration);
        assertThat(plan.expand().main()).flatMap(PlannedStatement::sql).noneMatch(sql -> sql.contains("INDEX"));
        assertThat(plan.expand().after()).hasSize(3).allSatisfy(action -> {
            assertThat(action.transactional()).isFalse();
            assertThat(action.sql()).last().asString().startsWith("CREATE").contains("INDEX CONCURRENTLY");
        });

        List<String> seen = new ArrayList<>();
        Tandem tandem = db.tandem(TandemConfig.builder()
                .afterStep(step -> seen.add(step + ": " + db.rows(INDEXES))).build());
        tandem.expand(migration);
        assertThat(seen).containsExactly("expand/main: []",
                "expand/after/0: [orders_customer_created_idx valid=true]",
                "expand/after/1: [orders_customer_created_idx valid=true, orders_open_idx valid=true]",
                "expand/after/2: [orders_customer_created_idx valid=true, orders_open_idx valid=true, "
                        + "products_sku_idx valid=true]");
    }

    @Test
    void failedUniqueBuildNamesTheOperationAndLeavesNothingBehind() {
        db.execute(Examples.shop());
        db.execute("INSERT INTO products (sku, title, price) VALUES ('SKU-7', 'Twin of product 7', 1)");
        List<String> before = Catalog.dump(db);
        Migration migration = Examples.migration("create_index.yaml");
        Tandem tandem = db.tandem();

        assertThatThrownBy(() -> tandem.expand(migration))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("create_index.yaml: operation 3 (create_index)")
                .hasMessageContaining("products_sku_idx")
                .hasMessageContaining("SKU-7")
                .hasMessageContaining("the steps expand had completed were rolled back");
        assertThat(tandem.status()).isEmpty();
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before).noneMatch(line -> line.endsWith("INVALID"));
    }

    @Test
    void expandAgainAfterTheDuplicateIsGoneFinishesTheBuild() {
        db.execute(Examples.shop());
        db.execute("INSERT INTO products (sku, title, price) VALUES ('SKU-7', 'Twin of product 7', 1)");
        Migration migration = Examples.migration("create_index.yaml");
        Tandem tandem = db.tandem();
        assertThatThrownBy(() -> tandem.expand(migration)).isInstanceOf(InvalidMigrationException.class);

        db.execute("DELETE FROM products WHERE title = 'Twin of product 7'");
        tandem.expand(migration);
        assertThat(db.rows(INDEXES)).containsExactly("orders_customer_created_idx valid=true",
                "orders_open_idx valid=true", "products_sku_idx valid=true");
        assertThat(db.value("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isEqualTo("0");
    }

    @Test
    void aWrongPredicateFailsExpandBeforeAnythingChanges() {
        db.execute(Examples.shop());
        List<String> before = Catalog.dump(db);
        for (String where : List.of("state = 'new'", "status")) {
            Migration migration = parse("open_orders.yaml", """
                    name: open_orders
                    operations:
                      - create_index:
                          name: orders_open_idx
                          table: orders
                          columns: [customer_id]
                          where: %s
                    """.formatted(where));
            assertThatThrownBy(() -> db.tandem().expand(migration))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageStartingWith("open_orders.yaml: operation 1 (create_index): ERROR: ");
            assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
        }
    }

    @TestTemplate
    void takesTheAccessMethodInAnyCase(OnDatabase on) throws Exception {
        Migration migration = parse("sku_hash.yaml", """
                name: sku_hash
                operations:
                  - create_index:
                      name: products_sku_hash_idx
                      table: products
                      columns: [sku]
                      method: HASH
                """);
        on.postgres(pg -> {
            Cycle.onShop(pg).migration(migration).afterContract((db, v) ->
                    assertThat(db.value("SELECT pg_get_indexdef('products_sku_hash_idx'::regclass)"))
                            .endsWith("USING hash (sku)")).run();
        });
        // MariaDB refuses index access methods
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration(migration).refused(
                "sku_hash.yaml: operation 1 (create_index)", "an index with access method"));
    }

    private static Migration parse(String file, String yaml) {
        return new MigrationParser().parse(file, yaml.getBytes(StandardCharsets.UTF_8));
    }
}
