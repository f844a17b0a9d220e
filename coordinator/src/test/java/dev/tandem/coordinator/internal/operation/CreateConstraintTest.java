package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.RegisterExtension;

@BothDatabases
class CreateConstraintTest {
    private static final String CONSTRAINTS = "SELECT conname || ' ' || contype::text || ' valid=' || convalidated "
            + "FROM pg_constraint WHERE conname IN ('orders_quantity_check', 'orders_shipped_quantity_check', "
            + "'products_sku_key', 'audit_log_customer_fkey') ORDER BY 1";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void enforcesNewWritesAtOnceAndValidatesAtContract(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("create_constraint.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                assertThat(db.rows(CONSTRAINTS)).containsExactly("audit_log_customer_fkey f valid=false",
                        "orders_quantity_check c valid=false", "orders_shipped_quantity_check c valid=false");
                assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'products_sku_key'::regclass"))
                        .isEqualTo("t");
                // both versions' writes must satisfy the new rules
                assertThatThrownBy(() -> db.execute("INSERT INTO orders (customer_id, quantity) VALUES (1, 0)"))
                        .hasMessageContaining("orders_quantity_check");
                assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                        "UPDATE orders SET quantity = 6 WHERE status = 'shipped' AND id = 4"))
                        .hasMessageContaining("orders_shipped_quantity_check");
                assertThatThrownBy(() -> db.execute("INSERT INTO products (sku, title, price) VALUES ('SKU-1', 'Twin', 1)"))
                        .hasMessageContaining("products_sku_key");
                assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                        "INSERT INTO audit_log (message, customer_id) VALUES ('x', 999999)"))
                        .hasMessageContaining("audit_log_customer_fkey");
                // writes that satisfy them work from both sides and are seen by both
                db.execute("INSERT INTO orders (customer_id, quantity, note) VALUES (1, 100, 'old')");
                db.execute("SET search_path TO " + newVersion,
                        "INSERT INTO audit_log (message, customer_id) VALUES ('about customer 7', 7)",
                        "UPDATE orders SET quantity = 99 WHERE note = 'old'");
                assertThat(db.value("SELECT quantity FROM orders WHERE note = 'old'")).isEqualTo("99");
                assertThat(db.value("SELECT count(*) FROM audit_log")).isEqualTo("21");
                assertThat(db.rows(newVersion, "SELECT customer_id FROM audit_log WHERE message = 'about customer 7'"))
                        .containsExactly("7");
                db.execute("DELETE FROM orders WHERE note = 'old'", "DELETE FROM audit_log WHERE customer_id = 7");
            }).afterContract((db, v) -> {
                assertThat(db.rows(CONSTRAINTS)).containsExactly("audit_log_customer_fkey f valid=true",
                        "orders_quantity_check c valid=true", "orders_shipped_quantity_check c valid=true",
                        "products_sku_key u valid=true");
                assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                        + "'audit_log_customer_fkey'")).isEqualTo("FOREIGN KEY (customer_id) REFERENCES customers(id) "
                        + "ON DELETE SET NULL");
                db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO audit_log (message, customer_id) VALUES ('late', 3)");
                assertThat(db.rows(v + ", public", "SELECT customer_id FROM audit_log WHERE message = 'late'"))
                        .containsExactly("3");
            }).run();
        });
        // MariaDB has no NOT VALID checks: orders goes through a table copy that has them, which the old version's
        // writes reach through its triggers; the foreign key that sets NULL is on a column no trigger reads
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("create_constraint.yaml").afterBackfill((db, v) -> {
            assertThatThrownBy(() -> db.execute("INSERT INTO orders (customer_id, quantity) VALUES (1, 0)"))
                    .hasMessageContaining("orders_quantity_check");
            assertThatThrownBy(() -> db.executeIn(v, "UPDATE orders SET quantity = 6 WHERE status = 'shipped' AND id = 4"))
                    .hasMessageContaining("orders_shipped_quantity_check");
            assertThatThrownBy(() -> db.executeIn(v, "INSERT INTO audit_log (message, customer_id) VALUES ('x', 999999)"))
                    .hasMessageContaining("audit_log_customer_fkey");
            db.execute("INSERT INTO orders (customer_id, quantity, note) VALUES (1, 100, 'old')");
            db.executeIn(v, "INSERT INTO audit_log (message, customer_id) VALUES ('about customer 7', 7)",
                    "UPDATE orders SET quantity = 99 WHERE note = 'old'");
            assertThat(db.value("SELECT quantity FROM orders WHERE note = 'old'")).isEqualTo("99");
            assertThat(db.value(v, "SELECT customer_id FROM audit_log WHERE message = 'about customer 7'")).isEqualTo("7");
            db.execute("DELETE FROM orders WHERE note = 'old'");
            db.executeIn(v, "DELETE FROM audit_log WHERE customer_id = 7");
        }).afterContract((db, v) -> {
            assertThat(db.rows("SELECT CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA"
                    + " = DATABASE() AND TABLE_NAME = 'orders' ORDER BY 1"))
                    .containsExactly("orders_quantity_check", "orders_shipped_quantity_check");
            assertThat(db.value("SELECT DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE"
                    + " CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'audit_log_customer_fkey'")).isEqualTo("SET NULL");
            assertThatThrownBy(() -> db.executeIn(v, "UPDATE orders SET quantity = 0 WHERE id = 1"))
                    .hasMessageContaining("orders_quantity_check");
        }).run());
    }

    @TestTemplate
    void coversSeveralColumns(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Migration migration = parse("stock_keys.yaml", """
                    name: stock_keys
                    operations:
                      - create_constraint:
                          table: stock
                          name: stock_place_key
                          type: unique
                          columns: [region, code, shelf]
                      - create_constraint:
                          table: stock
                          name: stock_warehouse_fkey
                          type: foreign_key
                          columns: [region, code]
                          references:
                            table: warehouses
                            columns: [region, code]
                            on_delete: cascade
                    """);
            Cycle.onShop(pg).setup(
                    "CREATE TABLE warehouses (region text, code text, PRIMARY KEY (region, code))",
                    "CREATE TABLE stock (id bigint PRIMARY KEY, region text NOT NULL, code text NOT NULL, shelf int NOT NULL)",
                    "INSERT INTO warehouses VALUES ('eu', 'a'), ('eu', 'b'), ('us', 'a')",
                    "INSERT INTO stock SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, 'a', g FROM generate_series(1, 10) g")
                    .migration(migration).whileExpanded((db, v) -> {
                        assertThatThrownBy(() -> db.execute("INSERT INTO stock VALUES (11, 'us', 'b', 11)"))
                                .hasMessageContaining("stock_warehouse_fkey");
                        assertThatThrownBy(() -> db.execute("SET search_path TO " + v + ", public",
                                "INSERT INTO stock VALUES (11, 'eu', 'a', 2)"))
                                .hasMessageContaining("stock_place_key");
                        db.execute("SET search_path TO " + v + ", public", "INSERT INTO stock VALUES (11, 'eu', 'b', 2)");
                        db.execute("DELETE FROM warehouses WHERE code = 'b'");
                        assertThat(db.rows(v + ", public", "SELECT count(*) FROM stock")).containsExactly("10");
                        db.execute("INSERT INTO warehouses VALUES ('eu', 'b')");
                    }).afterContract((db, v) -> {
                        assertThat(db.rows("SELECT conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated "
                                + "FROM pg_constraint WHERE conrelid = 'stock'::regclass AND contype <> 'p' ORDER BY 1"))
                                .containsExactly("stock_place_key UNIQUE (region, code, shelf) true",
                                        "stock_warehouse_fkey FOREIGN KEY (region, code) REFERENCES warehouses(region, code) "
                                                + "ON DELETE CASCADE true");
                    }).run();
        });
        on.mariaDb(maria -> {
            Cycle.onMariaDbExampleShop(maria).inline("constrain_orders",
                            "create_constraint: {table: products, name: products_sku_key, type: unique, columns: [sku]}",
                            "add_column: {table: audit_log, column: {name: customer_id, type: bigint}}",
                            "create_constraint: {table: audit_log, name: audit_log_customer_fkey, type: foreign_key,"
                                    + " columns: [customer_id], references: {table: customers, columns: [id], on_delete: set null}}")
                    .whileExpanded((db, v) -> {
                        assertThatThrownBy(() -> db.execute("INSERT INTO products (sku, title, price) VALUES ('SKU-1', 'x', 1)"))
                                .hasMessageContaining("products_sku_key");
                        assertThatThrownBy(() -> db.executeIn(v, "INSERT INTO audit_log (message, customer_id) VALUES ('m', 9999)"))
                                .hasMessageContaining("audit_log_customer_fkey");
                        db.executeIn(v, "INSERT INTO audit_log (message, customer_id) VALUES ('m', 5)");
                        db.execute("DELETE FROM audit_log WHERE id > 20");
                    })
                    .afterContract((db, v) -> assertThat(db.rows("SELECT CONCAT(CONSTRAINT_NAME, ' ', CONSTRAINT_TYPE) FROM"
                            + " information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME IN"
                            + " ('products_sku_key', 'audit_log_customer_fkey') ORDER BY 1"))
                            .containsExactly("audit_log_customer_fkey FOREIGN KEY", "products_sku_key UNIQUE"))
                    .run();
        });
    }

    @TestTemplate
    void validatesOnATableTheSameMigrationRenames(OnDatabase on) throws Exception {
        Migration migration = parse("rename_and_check.yaml", """
                name: rename_and_check
                operations:
                  - rename_table:
                      from: products
                      to: catalog_items
                  - create_constraint:
                      table: catalog_items
                      name: catalog_items_price_check
                      type: check
                      check: price > 0
                  - create_constraint:
                      table: catalog_items
                      name: catalog_items_sku_key
                      type: unique
                      columns: [sku]
                """);
        on.postgres(pg -> {
            Cycle.onShop(pg).migration(migration).whileExpanded((db, v) ->
                    assertThatThrownBy(() -> db.execute("SET search_path TO " + v + ", public",
                            "INSERT INTO catalog_items (sku, title, price) VALUES ('free', 'Free', 0)"))
                            .hasMessageContaining("catalog_items_price_check")
            ).afterContract((db, v) ->
                    assertThat(db.rows("SELECT conname || ' ' || convalidated FROM pg_constraint "
                            + "WHERE conrelid = 'public.catalog_items'::regclass AND contype IN ('c', 'u') ORDER BY 1"))
                            .containsExactly("catalog_items_price_check true", "catalog_items_sku_key true")
            ).run();
        });
        // MariaDB has no NOT VALID check constraints, and the rename keeps the table from being copied
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration(migration).refused(
                "rename_and_check.yaml: operation 2 (create_constraint)", "check constraint on an existing table"));
    }

    @Test
    void rowsThatBreakTheConstraintFailContractWhichRollbackThenUndoes() {
        db.execute(Examples.shop());
        db.execute("UPDATE orders SET quantity = 0 WHERE id = 5");
        List<String> before = Catalog.dump(db);
        Migration migration = Examples.migration("create_constraint.yaml");
        Tandem tandem = db.tandem();
        tandem.expand(migration);
        tandem.backfill(migration.name(), BackfillListener.NONE);

        assertThatThrownBy(() -> tandem.contract(migration.name()))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("create_constraint.yaml: operation 1 (create_constraint)")
                .hasMessageContaining("orders_quantity_check");
        assertThat(db.value("SELECT to_regclass('public.orders') IS NOT NULL")).isEqualTo("t");
        tandem.rollback(migration.name());
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
    }

    @Test
    void refusesFieldsThatDoNotBelongToTheType() {
        assertThatThrownBy(() -> parse("bad.yaml", """
                name: bad
                operations:
                  - create_constraint:
                      table: orders
                      name: orders_quantity_check
                      type: check
                      check: quantity > 0
                      columns: [quantity]
                """)).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("bad.yaml: operation 1 (create_constraint): a check constraint takes no 'columns'");
        assertThatThrownBy(() -> parse("bad.yaml", """
                name: bad
                operations:
                  - create_constraint:
                      table: orders
                      name: orders_key
                      type: unique
                      columns: [id]
                      check: id > 0
                """)).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("a unique constraint takes no 'check'");
    }

    private static Migration parse(String file, String yaml) {
        return new MigrationParser().parse(file, yaml.getBytes(StandardCharsets.UTF_8));
    }
}
