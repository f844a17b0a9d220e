package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each operation's full cycle on MariaDB, with the old and the new version writing while it is expanded. */
class MariaDbOperationsTest {
    private MariaDbTestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = MariaDbTestDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void addColumnFilledFromUpForOldVersionWrites() throws Exception {
        MariaDbCycle.onShop(db).inline("add_display_name", "add_column: {table: customers, column: "
                + "{name: display_name, type: varchar(120)}, up: \"CONCAT(first_name, ' ', last_name)\"}")
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO customers (email, first_name, last_name) VALUES ('old@x', 'Ada', 'Old')");
                    assertThat(db.value(v, "SELECT display_name FROM customers WHERE email = 'old@x'"))
                            .isEqualTo("Ada Old");
                    db.executeIn(v, "INSERT INTO customers (email, first_name, last_name, display_name)"
                            + " VALUES ('new@x', 'Bob', 'New', 'Bobby')");
                    assertThat(db.value("SELECT display_name FROM customers WHERE email = 'new@x'")).isEqualTo("Bobby");
                    // an old-version update of an unrelated column keeps the new version's value
                    db.execute("UPDATE customers SET phone = '1' WHERE email = 'new@x'");
                    assertThat(db.value(v, "SELECT display_name FROM customers WHERE email = 'new@x'")).isEqualTo("Bobby");
                    // an old-version update of an input recomputes it
                    db.execute("UPDATE customers SET first_name = 'Ann' WHERE email = 'old@x'");
                    assertThat(db.value(v, "SELECT display_name FROM customers WHERE email = 'old@x'"))
                            .isEqualTo("Ann Old");
                    db.execute("DELETE FROM customers WHERE email IN ('old@x', 'new@x')");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT COUNT(*) FROM customers WHERE display_name IS NULL")).isEqualTo("0");
                    assertThat(db.value("SELECT display_name FROM customers WHERE id = 1")).isEqualTo("First1 Last1");
                    assertThat(db.value(v, "SELECT display_name FROM customers WHERE id = 2")).isEqualTo("First2 Last2");
                })
                .run();
    }

    @Test
    void renameColumnShowsOneColumnUnderTwoNames() throws Exception {
        MariaDbCycle.onShop(db).inline("rename_note", "rename_column: {table: orders, from: note, to: customer_note}")
                .whileExpanded((db, v) -> {
                    db.execute("UPDATE orders SET note = 'from old' WHERE id = 1");
                    assertThat(db.value(v, "SELECT customer_note FROM orders WHERE id = 1")).isEqualTo("from old");
                    db.executeIn(v, "UPDATE orders SET customer_note = 'from new' WHERE id = 2");
                    assertThat(db.value("SELECT note FROM orders WHERE id = 2")).isEqualTo("from new");
                    db.executeIn(v, "INSERT INTO orders (customer_id, customer_note) VALUES (1, 'inserted new')");
                    assertThat(db.value("SELECT COUNT(*) FROM orders WHERE note = 'inserted new'")).isEqualTo("1");
                    db.execute("DELETE FROM orders WHERE note = 'inserted new'");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT customer_note FROM orders WHERE id = 2")).isEqualTo("from new");
                    assertThat(db.value(v, "SELECT customer_note FROM orders WHERE id = 1")).isEqualTo("from old");
                })
                .run();
    }

    @Test
    void dropColumnFilledFromDownForNewVersionWrites() throws Exception {
        MariaDbCycle.onShop(db).inline("drop_legacy_code",
                        "drop_column: {table: orders, column: legacy_code, down: \"CONCAT('N', customer_id)\"}")
                .whileExpanded((db, v) -> {
                    assertThat(db.rows(v, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                            + v + "' AND COLUMN_NAME = 'legacy_code'")).containsExactly("0");
                    db.executeIn(v, "INSERT INTO orders (customer_id, quantity) VALUES (7, 1)");
                    assertThat(db.value("SELECT legacy_code FROM orders WHERE id = (SELECT MAX(id) FROM orders)"))
                            .isEqualTo("N7");
                    db.execute("INSERT INTO orders (customer_id, legacy_code) VALUES (8, 'mine')");
                    assertThat(db.value("SELECT legacy_code FROM orders WHERE id = (SELECT MAX(id) FROM orders)"))
                            .isEqualTo("mine");
                    db.execute("DELETE FROM orders WHERE id > 2500");
                })
                .afterContract((db, v) -> assertThat(db.value("SELECT COUNT(*) FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = '" + db.name() + "' AND COLUMN_NAME = 'legacy_code'")).isEqualTo("0"))
                .run();
    }

    @Test
    void intToBigintGoesThroughAShadowColumnInsteadOfACopy() throws Exception {
        MariaDbCycle.onShop(db).inline("widen_quantity",
                        "alter_column: {table: orders, column: quantity, type: bigint, up: quantity, down: quantity}")
                .whileExpanded((db, v) -> {
                    db.execute("UPDATE orders SET quantity = 40 WHERE id = 1");
                    assertThat(db.value(v, "SELECT quantity FROM orders WHERE id = 1")).isEqualTo("40");
                    db.executeIn(v, "UPDATE orders SET quantity = 41 WHERE id = 2");
                    assertThat(db.value("SELECT quantity FROM orders WHERE id = 2")).isEqualTo("41");
                    db.executeIn(v, "INSERT INTO orders (customer_id, quantity) VALUES (3, 42)");
                    assertThat(db.value("SELECT quantity FROM orders WHERE id = (SELECT MAX(id) FROM orders)"))
                            .isEqualTo("42");
                    db.execute("INSERT INTO orders (customer_id, quantity) VALUES (3, 43)");
                    assertThat(db.value(v, "SELECT quantity FROM orders WHERE id = (SELECT MAX(id) FROM orders)"))
                            .isEqualTo("43");
                    // the second round after rollback starts from the same rows
                    db.execute("DELETE FROM orders WHERE id > 2500", "UPDATE orders SET quantity = 2 WHERE id = 1",
                            "UPDATE orders SET quantity = 3 WHERE id = 2");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                            + db.name() + "' AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'quantity'")).isEqualTo("bigint(20)");
                    assertThat(db.value("SELECT COUNT(*) FROM orders WHERE quantity IS NULL")).isEqualTo("0");
                    assertThat(db.rows("SELECT quantity FROM orders WHERE id <= 3 ORDER BY id")).containsExactly("2", "3", "4");
                    db.executeIn(v, "UPDATE orders SET quantity = 5000000000 WHERE id = 3");
                    assertThat(db.value("SELECT quantity FROM orders WHERE id = 3")).isEqualTo("5000000000");
                })
                .run();
    }

    @Test
    void createIndexBuildsOnline() throws Exception {
        String indexes = "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME LIKE '%\\_idx'";
        // led by customer_id, MariaDB drops the foreign key's own index: rollback gives it back
        MariaDbCycle.onShop(db).inline("index_orders",
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
    }

    @Test
    void createTableIsSeenByTheNewVersionOnly() throws Exception {
        MariaDbCycle.onShop(db).inline("create_reviews", "create_table: {table: reviews, columns: ["
                        + "{name: id, type: bigint auto_increment, primary_key: true},"
                        + "{name: customer_id, type: bigint, nullable: false,"
                        + " references: {table: customers, column: id, on_delete: cascade}},"
                        + "{name: rating, type: int, nullable: false, check: rating BETWEEN 1 AND 5},"
                        + "{name: body, type: text}]}")
                .whileExpanded((db, v) -> {
                    db.executeIn(v, "INSERT INTO reviews (customer_id, rating, body) VALUES (1, 5, 'fine')");
                    assertThat(db.value(v, "SELECT body FROM reviews WHERE customer_id = 1")).isEqualTo("fine");
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.executeIn(v,
                            "INSERT INTO reviews (customer_id, rating) VALUES (1, 9)")).hasMessageContaining("reviews_rating_check");
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.executeIn(v,
                            "INSERT INTO reviews (customer_id, rating) VALUES (99999, 1)")).hasMessageContaining("foreign key");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT COUNT(*) FROM reviews")).isEqualTo("1");
                    assertThat(db.rows("SELECT CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE"
                            + " CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'reviews' ORDER BY 1"))
                            .containsExactly("CHECK", "FOREIGN KEY", "PRIMARY KEY");
                })
                .run();
    }

    @Test
    void notNullGoesThroughTheTriggersAndAnInPlaceRebuildAtContract() throws Exception {
        String nullable = "SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, ':', IS_NULLABLE) ORDER BY COLUMN_NAME)"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders'"
                + " AND COLUMN_NAME IN ('quantity', 'code')";
        MariaDbCycle.onShop(db).inline("quantity_required",
                        "alter_column: {table: orders, column: quantity, nullable: false, up: \"IFNULL(quantity, 1)\","
                                + " down: quantity}",
                        "add_column: {table: orders, column: {name: code, type: varchar(40), nullable: false},"
                                // legacy_code is 'L' and the key; up cannot read the AUTO_INCREMENT key itself
                                + " up: \"CONCAT('C', SUBSTRING(legacy_code, 2))\"}",
                        "alter_column: {table: customers, column: first_name, nullable: true, up: first_name,"
                                + " down: \"IFNULL(first_name, '?')\"}")
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO orders (id, customer_id, quantity, legacy_code) VALUES (9001, 1, NULL, 'L9001')");
                    assertThat(db.value(v, "SELECT CONCAT(quantity, code) FROM orders WHERE id = 9001")).isEqualTo("1C9001");
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.executeIn(v,
                            "INSERT INTO orders (customer_id, quantity, code) VALUES (1, NULL, 'x')"))
                            .hasMessageContaining("cannot be null");
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.executeIn(v,
                            "UPDATE orders SET code = NULL WHERE id = 9001")).hasMessageContaining("cannot be null");
                    // a new-version update of a row the backfill has not reached fills it as the backfill would
                    db.execute("UPDATE orders SET quantity = NULL WHERE id = 5");
                    db.executeIn(v, "UPDATE orders SET note = 'touched' WHERE id = 5");
                    assertThat(db.value(v, "SELECT CONCAT(quantity, code) FROM orders WHERE id = 5")).isEqualTo("1C5");
                    db.executeIn(v, "UPDATE customers SET first_name = 'Third' WHERE id = 3",
                            "UPDATE customers SET first_name = NULL WHERE id = 3");
                    assertThat(db.value("SELECT first_name FROM customers WHERE id = 3")).isEqualTo("?");
                    db.execute("DELETE FROM orders WHERE id > 2500", "UPDATE orders SET quantity = 1 + 5 % 5, note = NULL"
                            + " WHERE id = 5", "UPDATE customers SET first_name = 'First3' WHERE id = 3");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value(nullable)).isEqualTo("code:NO,quantity:NO");
                    db.executeIn(v, "UPDATE customers SET first_name = NULL WHERE id = 4");
                    assertThat(db.value("SELECT IFNULL(first_name, 'null') FROM customers WHERE id = 4")).isEqualTo("null");
                    assertThat(db.value("SELECT COUNT(*) FROM orders WHERE code = CONCAT('C', id)")).isEqualTo("2500");
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.execute(
                            "INSERT INTO orders (customer_id, code) VALUES (1, 'x')")).hasMessageContaining("quantity");
                })
                .run();
    }
}
