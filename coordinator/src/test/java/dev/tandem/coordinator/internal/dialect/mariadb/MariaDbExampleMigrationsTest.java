package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example migrations of migrations-examples, each through its full cycle on the MariaDB shop
 * ({@code shop-mariadb.sql}), with both versions writing while it is expanded.
 */
class MariaDbExampleMigrationsTest {
    private MariaDbTestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = MariaDbTestDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private String count(String where) {
        return "SELECT COUNT(*) FROM information_schema." + where;
    }

    @Test
    void renameTable() throws Exception {
        MariaDbCycle.onExampleShop(db).migration(Examples.migration("rename_table.yaml"))
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO products (id, sku, title, price) VALUES (900, 'OLD', 'old', 1)");
                    assertThat(db.value(v, "SELECT title FROM catalog_items WHERE id = 900")).isEqualTo("old");
                    db.executeIn(v, "INSERT INTO catalog_items (id, sku, title, price) VALUES (901, 'NEW', 'new', 2)");
                    db.executeIn(v, "UPDATE catalog_items SET title = 'renamed' WHERE id = 1");
                    assertThat(db.rows("SELECT title FROM products WHERE id IN (1, 901) ORDER BY id"))
                            .containsExactly("renamed", "new");
                    db.execute("DELETE FROM products WHERE id >= 900", "UPDATE products SET title = 'Product 1' WHERE id = 1");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value(count("TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'products'")))
                            .isEqualTo("0");
                    assertThat(db.value("SELECT COUNT(*) FROM catalog_items")).isEqualTo("50");
                    assertThat(db.value(v, "SELECT title FROM catalog_items WHERE id = 2")).isEqualTo("Product 2");
                    // the orders' foreign key follows the table
                    assertThat(db.value("SELECT REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
                            + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'orders_product_id_fkey'"))
                            .isEqualTo("catalog_items");
                })
                .run();
    }

    @Test
    void dropTable() throws Exception {
        MariaDbCycle.onExampleShop(db).migration(Examples.migration("drop_table.yaml"))
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO audit_log (message) VALUES ('still written by the old version')");
                    assertThat(db.value(count("TABLES WHERE TABLE_SCHEMA = '" + v + "' AND TABLE_NAME = 'audit_log'")))
                            .isEqualTo("0");
                    db.executeIn(v, "INSERT INTO orders (customer_id, quantity) VALUES (1, 2)");
                    db.execute("DELETE FROM audit_log WHERE id > 20", "DELETE FROM orders WHERE id > 2500");
                })
                .afterContract((db, v) -> assertThat(db.value(count(
                        "TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'audit_log'"))).isEqualTo("0"))
                .run();
    }

    @Test
    void dropIndex() throws Exception {
        String index = count("STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'orders_status_idx'");
        MariaDbCycle.onExampleShop(db).migration(Examples.migration("drop_index.yaml"))
                .whileExpanded((db, v) -> {
                    assertThat(db.value(index)).as("the old version may still use it").isEqualTo("1");
                    db.executeIn(v, "UPDATE orders SET status = 'shipped' WHERE id = 1");
                    assertThat(db.value("SELECT status FROM orders WHERE id = 1")).isEqualTo("shipped");
                    db.execute("UPDATE orders SET status = 'new' WHERE id = 1");
                })
                .afterContract((db, v) -> assertThat(db.value(index)).isEqualTo("0"))
                .run();
    }

    @Test
    void dropConstraintTakesTheForeignKeysIndexAlong() throws Exception {
        String constraints = "SELECT COUNT(*) FROM"
                + " information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
                + " AND CONSTRAINT_NAME IN ('customers_email_key', 'orders_product_id_fkey')";
        MariaDbCycle.onExampleShop(db).migration(Examples.migration("drop_constraint.yaml"))
                .whileExpanded((db, v) -> {
                    assertThat(db.value(constraints)).isEqualTo("2");
                    // both versions' writes are still checked until contract
                    assertThatThrownBy(() -> db.executeIn(v, "INSERT INTO customers (email, first_name, last_name)"
                            + " VALUES ('customer1@example.com', 'a', 'b')")).hasMessageContaining("Duplicate");
                    assertThatThrownBy(() -> db.execute("INSERT INTO orders (customer_id, product_id) VALUES (1, 999)"))
                            .hasMessageContaining("foreign key");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value(constraints)).isEqualTo("0");
                    assertThat(db.value(count("STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME IN"
                            + " ('orders_product_id_fkey', 'customers_email_key')"))).isEqualTo("0");
                    db.executeIn(v, "INSERT INTO orders (customer_id, product_id) VALUES (1, 999)");
                    db.executeIn(v, "INSERT INTO customers (email, first_name, last_name)"
                            + " VALUES ('customer1@example.com', 'a', 'b')");
                })
                .run();
    }

    @Test
    void alterIndexedNotNullColumnsExample() throws Exception {
        String indexes = "SELECT GROUP_CONCAT(CONCAT(INDEX_NAME, ':', COLUMN_NAME, ':', NON_UNIQUE) ORDER BY INDEX_NAME)"
                + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND INDEX_NAME IN ('orders_status_idx', 'customers_email_key')";
        MariaDbCycle.onExampleShop(db).migration(Examples.migration("alter_column_indexed.yaml"))
                .whileExpanded((db, v) -> {
                    db.execute("UPDATE orders SET status = 'returned' WHERE id = 1");
                    assertThat(db.value(v, "SELECT status FROM orders WHERE id = 1")).isEqualTo("returned");
                    // the shadow column carries the default the new version's inserts rely on
                    db.executeIn(v, "INSERT INTO orders (customer_id) VALUES (1)");
                    assertThat(db.value("SELECT status FROM orders WHERE id = (SELECT MAX(id) FROM orders)")).isEqualTo("new");
                    db.execute("DELETE FROM orders WHERE id > 2500");
                    db.executeIn(v, "INSERT INTO customers (email, first_name, last_name) VALUES ('new@x', 'N', 'N')");
                    assertThatThrownBy(() -> db.execute("UPDATE customers SET email = 'new@x' WHERE id = 1"))
                            .hasMessageContaining("Duplicate");
                    assertThatThrownBy(() -> db.executeIn(v, "UPDATE customers SET email = NULL WHERE email = 'new@x'"))
                            .hasMessageContaining("cannot be null");
                    db.execute("DELETE FROM customers WHERE email = 'new@x'", "UPDATE orders SET status = 'new' WHERE id = 1");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value(indexes)).isEqualTo("customers_email_key:email:0,orders_status_idx:status:1");
                    assertThat(db.rows("SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ',"
                            + " IFNULL(COLUMN_DEFAULT, '-')) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                            + " AND COLUMN_NAME IN ('status', 'email') ORDER BY 1"))
                            .containsExactly("email varchar(320) NO -", "status varchar(20) NO 'new'");
                    assertThat(db.value("SELECT COUNT(*) FROM orders WHERE status = 'shipped'")).isEqualTo("625");
                })
                .run();
    }

    @Test
    void alterIndexedColumnsCarriesTheirIndexesToTheShadows() throws Exception {
        String indexes = "SELECT GROUP_CONCAT(CONCAT(INDEX_NAME, ':', COLUMN_NAME, ':', NON_UNIQUE) ORDER BY INDEX_NAME)"
                + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND INDEX_NAME IN ('products_legacy_code_idx', 'customers_phone_key')";
        Cycle<MariaDbTestDatabase> cycle = MariaDbCycle.onExampleShop(db);
        db.execute("CREATE INDEX products_legacy_code_idx ON products (legacy_code)",
                "ALTER TABLE customers ADD CONSTRAINT customers_phone_key UNIQUE (phone)");
        cycle.inline("widen_indexed_columns",
                        "alter_column: {table: products, column: legacy_code, type: varchar(80), up: legacy_code,"
                                + " down: legacy_code}",
                        "alter_column: {table: customers, column: phone, type: varchar(60), up: phone, down: phone}")
                .whileExpanded((db, v) -> {
                    assertThat(db.value(count("STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME IN"
                            + " ('_tandem_products_legacy_code_idx', '_tandem_customers_phone_key')"))).isEqualTo("2");
                    db.execute("UPDATE products SET legacy_code = 'changed' WHERE id = 1");
                    assertThat(db.value(v, "SELECT legacy_code FROM products WHERE id = 1")).isEqualTo("changed");
                    db.executeIn(v, "INSERT INTO customers (email, first_name, last_name, phone) VALUES ('n@x', 'N', 'N', '1')");
                    assertThat(db.value("SELECT phone FROM customers WHERE email = 'n@x'")).isEqualTo("1");
                    // the shadow's unique index holds for old-version writes too
                    assertThatThrownBy(() -> db.execute("UPDATE customers SET phone = '1' WHERE id = 1"))
                            .hasMessageContaining("Duplicate");
                    db.execute("DELETE FROM customers WHERE email = 'n@x'", "UPDATE products SET legacy_code = 'L1' WHERE id = 1");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value(indexes)).isEqualTo("customers_phone_key:phone:0,products_legacy_code_idx:legacy_code:1");
                    assertThat(db.value("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                            + " AND TABLE_NAME = 'customers' AND COLUMN_NAME = 'phone'")).isEqualTo("varchar(60)");
                    assertThat(db.value("SELECT CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE"
                            + " CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'customers_phone_key'")).isEqualTo("UNIQUE");
                    assertThat(db.value("SELECT phone FROM customers WHERE id = 4")).isEqualTo("555-4");
                    assertThat(db.value("SELECT COUNT(*) FROM products WHERE legacy_code = CONCAT('L', id)")).isEqualTo("50");
                })
                .run();
    }

    @Test
    void renameConstraintRenamesUniqueAndForeignKeysInPlace() throws Exception {
        String names = "SELECT GROUP_CONCAT(CONSTRAINT_NAME ORDER BY CONSTRAINT_NAME) FROM information_schema.TABLE_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME LIKE 'customers\\_email%'"
                + " OR CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME LIKE 'orders\\_customer%'";
        MariaDbCycle.onExampleShop(db).migration(Examples.migration("rename_constraint.yaml"))
                .whileExpanded((db, v) -> assertThat(db.value(names))
                        .isEqualTo("customers_email_key,orders_customer_id_fkey"))
                .afterContract((db, v) -> {
                    assertThat(db.value(names)).isEqualTo("customers_email_unique,orders_customer_fk");
                    assertThat(db.value("SELECT CONCAT(UPDATE_RULE, ' ', DELETE_RULE, ' ', REFERENCED_TABLE_NAME)"
                            + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
                            + " AND CONSTRAINT_NAME = 'orders_customer_fk'")).isEqualTo("RESTRICT RESTRICT customers");
                    assertThatThrownBy(() -> db.execute("INSERT INTO orders (customer_id) VALUES (99999)"))
                            .hasMessageContaining("orders_customer_fk");
                })
                .run();
    }

    @Test
    void createConstraintAddsUniqueAndForeignKeysWithoutACopy() throws Exception {
        MariaDbCycle.onExampleShop(db).inline("constrain_orders",
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
    }

    @Test
    void createConstraintExampleIsRefusedForItsCheckConstraintsBeforeAnythingChanges() {
        db.execute(Examples.schema("shop-mariadb.sql"));
        MariaDbRefused.byPlanAndExpand(db, Examples.migration("create_constraint.yaml"),
                "create_constraint.yaml: operation 1 (create_constraint)", "a check constraint on an existing table");
    }

    @Test
    void rawSqlRunsInTheTablesDatabaseAndIsUndoneByItsRollback() throws Exception {
        String function = count("ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'order_total'");
        MariaDbCycle.onExampleShop(db).inline("order_total_function",
                        "{sql: {phase: expand, sql: \"CREATE FUNCTION order_total(quantity INT, price DECIMAL(10, 2))"
                                + " RETURNS DECIMAL(12, 2) DETERMINISTIC RETURN quantity * price\","
                                + " rollback: \"DROP FUNCTION order_total\"}}",
                        "{sql: {phase: contract, sql: \"ALTER FUNCTION order_total COMMENT 'Line total of an order'\"}}")
                .whileExpanded((db, v) -> {
                    assertThat(db.value(function)).isEqualTo("1");
                    assertThat(db.value("SELECT order_total(3, 1.50)")).isEqualTo("4.50");
                })
                .afterContract((db, v) -> assertThat(db.value("SELECT ROUTINE_COMMENT FROM information_schema.ROUTINES"
                        + " WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'order_total'"))
                        .isEqualTo("Line total of an order"))
                .run();
    }
}
