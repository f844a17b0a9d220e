package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.RegisterExtension;

@BothDatabases
class AlterColumnTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void changesTypeAndRenamesInOneMigration(OnDatabase on) throws Exception {
        on.postgres(pg -> pricesInCents(pg, "price_in_cents.yaml"));
        // the example's expressions cast with '::', which only PostgreSQL reads
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("price_in_cents.yaml").refused(
                "price_in_cents.yaml: operation 1 (alter_column)", "'::' cast"));
    }

    @TestTemplate
    void refusesAStrategyItCannotHave(OnDatabase on) throws Exception {
        on.postgres(pg -> Cycle.onShop(pg).inline("copy_on_pg", "alter_column: {table: orders, column: quantity,"
                + " type: bigint, up: quantity, down: quantity, strategy: copy}").refused(
                "copy_on_pg.yaml: operation 1 (alter_column)", "the table-copy strategy is MariaDB's"));
        // orders refers to customers, and the key orders holds to the copy meanwhile would not follow orders' change
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).inline("copy_customers", "alter_column: {table:"
                + " customers, column: phone, type: varchar(60), up: phone, down: phone, strategy: copy}",
                "add_column: {table: orders, column: {name: gift, type: boolean}}").refused(
                "copy_customers.yaml: operation 1 (alter_column)", "'strategy: copy' cannot copy table 'customers'",
                "foreign key [orders_customer_id_fkey] of table 'orders' refers to it, and operation 2 (add_column)"
                        + " changes 'orders' too"));
    }

    @TestTemplate
    void renamesThenChangesType(OnDatabase on) throws Exception {
        on.postgres(pg -> pricesInCents(pg, "price_in_cents_renamed_first.yaml"));
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("price_in_cents_renamed_first.yaml").refused(
                "price_in_cents_renamed_first.yaml: operation 2 (alter_column)", "'::' cast"));
    }

    @TestTemplate
    void setsNotNullFillingNullsFromUp(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("alter_column_set_not_null.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                db.execute("INSERT INTO customers (email, first_name, last_name) VALUES ('old@x', 'Old', 'Old')");
                assertThat(db.rows(newVersion, "SELECT phone FROM customers WHERE email = 'old@x'")).containsExactly("unknown");
                assertThat(db.value("SELECT phone FROM customers WHERE email = 'old@x'")).isEqualTo("null");
                db.executeIn(newVersion, "INSERT INTO customers (email, first_name, last_name, phone) VALUES ('new@x', 'New', 'New', '42')");
                assertThat(db.value("SELECT phone FROM customers WHERE email = 'new@x'")).isEqualTo("42");
                assertThatThrownBy(() -> db.executeIn(newVersion,
                        "INSERT INTO customers (email, first_name, last_name) VALUES ('none@x', 'No', 'Phone')"))
                        .hasMessageContaining("violates check constraint");
                // customer 3 has no phone and is not backfilled yet: the old version's update fills it
                db.execute("UPDATE customers SET first_name = 'Third' WHERE id = 3");
                assertThat(db.rows(newVersion, "SELECT phone FROM customers WHERE id = 3")).containsExactly("unknown");
                db.executeIn(newVersion, "UPDATE customers SET phone = '333' WHERE id = 6");
                assertThat(db.value("SELECT phone FROM customers WHERE id = 6")).isEqualTo("333");
                db.execute("DELETE FROM customers WHERE email IN ('old@x', 'new@x')");
            }).afterContract((db, v) -> {
                assertThat(db.value("SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'public' "
                        + "AND table_name = 'customers' AND column_name = 'phone'")).isEqualTo("NO");
                assertThat(db.rows("SELECT id, phone FROM customers WHERE id IN (1, 3, 6, 9) ORDER BY id"))
                        .containsExactly("1|555-1", "3|unknown", "6|333", "9|unknown");
                assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'customers'::regclass "
                        + "AND contype = 'c'")).isEqualTo("0");
            }).run();
        });
        on.mariaDb(maria -> {
            String nullable = "SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, ':', IS_NULLABLE) ORDER BY COLUMN_NAME)"
                    + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders'"
                    + " AND COLUMN_NAME IN ('quantity', 'code')";
            // in place: the shadow column and the new column are nullable until contract
            Cycle.onMariaDbShop(maria).inline("quantity_required",
                            "alter_column: {table: orders, column: quantity, nullable: false, up: \"IFNULL(quantity, 1)\","
                                    + " down: quantity, strategy: in_place}",
                            "add_column: {table: orders, column: {name: code, type: varchar(40), nullable: false},"
                                    // legacy_code is 'L' and the key; up cannot read the AUTO_INCREMENT key itself
                                    + " up: \"CONCAT('C', SUBSTRING(legacy_code, 2))\"}",
                            "alter_column: {table: customers, column: first_name, nullable: true, up: first_name,"
                                    + " down: \"IFNULL(first_name, '?')\", strategy: in_place}")
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
        });
    }

    @TestTemplate
    void dropsNotNullGivingTheOldVersionDown(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("alter_column_drop_not_null.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                db.executeIn(newVersion, "INSERT INTO customers (email, first_name) VALUES ('new@x', 'New')");
                assertThat(db.rows(newVersion, "SELECT last_name FROM customers WHERE email = 'new@x'")).containsExactly("null");
                assertThat(db.value("SELECT last_name FROM customers WHERE email = 'new@x'")).isEqualTo("");
                db.execute("INSERT INTO customers (email, first_name, last_name) VALUES ('old@x', 'Old', 'Timer')");
                assertThat(db.rows(newVersion, "SELECT last_name FROM customers WHERE email = 'old@x'")).containsExactly("Timer");
                db.executeIn(newVersion, "UPDATE customers SET last_name = NULL WHERE email = 'old@x'");
                assertThat(db.value("SELECT last_name FROM customers WHERE email = 'old@x'")).isEqualTo("");
                // an old-version update of another column leaves the new version's NULL alone
                db.execute("UPDATE customers SET phone = '1' WHERE email = 'old@x'");
                assertThat(db.rows(newVersion, "SELECT last_name FROM customers WHERE email = 'old@x'")).containsExactly("null");
                db.execute("DELETE FROM customers WHERE email IN ('old@x', 'new@x')");
            }).afterContract((db, v) -> {
                assertThat(db.value("SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'public' "
                        + "AND table_name = 'customers' AND column_name = 'last_name'")).isEqualTo("YES");
                assertThat(db.value("SELECT last_name FROM customers WHERE id = 7")).isEqualTo("Last7");
                db.execute("INSERT INTO customers (email, first_name) VALUES ('after@x', 'After')");
                assertThat(db.value("SELECT last_name FROM customers WHERE email = 'after@x'")).isEqualTo("null");
            }).run();
        });
        // the cycle's own checks: rollback restores the catalog, contract leaves nothing of Tandem's behind
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("alter_column_drop_not_null.yaml").run());
    }

    @TestTemplate
    void setsDefaultForTheNewVersionAtOnceAndOnTheTableAtContract(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("alter_column_default.yaml").whileExpanded((db, v) -> {
                db.execute("INSERT INTO orders (customer_id) VALUES (1)");
                db.executeIn(v + ", public", "INSERT INTO orders (customer_id) VALUES (2)");
                assertThat(db.rows("SELECT customer_id, status FROM orders WHERE id > 2500 ORDER BY id"))
                        .containsExactly("1|new", "2|pending");
                assertThat(Catalog.dump(db)).noneMatch(line -> line.startsWith("trigger "));
                db.execute("DELETE FROM orders WHERE id > 2500");
            }).afterContract((db, v) -> {
                assertThat(db.value("SELECT column_default FROM information_schema.columns WHERE table_schema = 'public' "
                        + "AND table_name = 'orders' AND column_name = 'status'")).isEqualTo("'pending'::text");
                assertThat(db.value("SELECT col_description('orders'::regclass, 5)")).isEqualTo("Workflow state of the order");
                db.execute("INSERT INTO orders (customer_id) VALUES (3)");
                assertThat(db.rows(v, "SELECT status FROM orders WHERE customer_id = 3 AND id > 2500")).containsExactly("pending");
                assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_status_idx'")).isEqualTo("1");
            }).run();
        });
        // MariaDB's views have no column defaults: the copy has the new default, the table keeps the old one
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("alter_column_default.yaml").afterBackfill((db, v) -> {
            db.execute("INSERT INTO orders (customer_id, note) VALUES (1, 'old')");
            assertThat(db.value(v, "SELECT status FROM orders WHERE note = 'old'")).isEqualTo("new");
            db.executeIn(v, "INSERT INTO orders (customer_id, note) VALUES (1, 'new')");
            assertThat(db.value("SELECT status FROM orders WHERE note = 'new'")).isEqualTo("pending");
            db.execute("UPDATE orders SET status = 'held' WHERE note = 'new'");
            assertThat(db.value(v, "SELECT status FROM orders WHERE note = 'new'")).isEqualTo("held");
            db.executeIn(v, "DELETE FROM orders WHERE note = 'old'");
            db.execute("DELETE FROM orders WHERE note = 'new'");
            assertThat(db.value(v, "SELECT COUNT(*) FROM orders WHERE note IN ('old', 'new')")).isEqualTo("0");
        }).afterContract((db, v) -> {
            assertThat(db.value("SELECT CONCAT(COLUMN_DEFAULT, '|', COLUMN_COMMENT) FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'status'"))
                    .isEqualTo("'pending'|Workflow state of the order");
            db.executeIn(v, "INSERT INTO orders (customer_id) VALUES (3)");
            assertThat(db.value("SELECT status FROM orders WHERE id = (SELECT MAX(id) FROM orders)")).isEqualTo("pending");
            assertThat(db.value("SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA"
                    + " = DATABASE() AND CONSTRAINT_NAME IN ('orders_customer_id_fkey', 'orders_product_id_fkey')"))
                    .isEqualTo("2");
        }).run());
    }

    @TestTemplate
    void addsCheckMappingOldVersionValuesThroughUp(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("alter_column_check.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                db.execute("INSERT INTO orders (customer_id, quantity, note) VALUES (1, 0, 'old')");
                assertThat(db.rows(newVersion, "SELECT quantity FROM orders WHERE note = 'old'")).containsExactly("1");
                assertThat(db.value("SELECT quantity FROM orders WHERE note = 'old'")).isEqualTo("0");
                assertThatThrownBy(() -> db.executeIn(newVersion,
                        "INSERT INTO orders (customer_id, quantity, note) VALUES (1, 0, 'new')"))
                        .hasMessageContaining("orders_quantity_check");
                db.executeIn(newVersion, "INSERT INTO orders (customer_id, note) VALUES (1, 'new')");
                assertThat(db.value("SELECT quantity FROM orders WHERE note = 'new'")).isEqualTo("1");
                db.executeIn(newVersion, "UPDATE orders SET quantity = 7 WHERE note = 'new'");
                assertThat(db.value("SELECT quantity FROM orders WHERE note = 'new'")).isEqualTo("7");
                db.execute("DELETE FROM orders WHERE note IN ('old', 'new')");
            }).afterContract((db, v) -> {
                assertThat(db.value("SELECT convalidated FROM pg_constraint WHERE conname = 'orders_quantity_check'"))
                        .isEqualTo("t");
                assertThat(db.rows("SELECT is_nullable, column_default FROM information_schema.columns "
                        + "WHERE table_schema = 'public' AND table_name = 'orders' AND column_name = 'quantity'"))
                        .containsExactly("NO|1");
                assertThat(db.value("SELECT quantity FROM orders WHERE id = 4")).isEqualTo("5");
                assertThatThrownBy(() -> db.execute("UPDATE orders SET quantity = 0 WHERE id = 1"))
                        .hasMessageContaining("orders_quantity_check");
            }).run();
        });
        // MariaDB has no NOT VALID check constraints: the check goes on the copy, which the backfill fills through up
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("alter_column_check.yaml").afterBackfill((db, v) -> {
            db.execute("INSERT INTO orders (customer_id, quantity, note) VALUES (1, 0, 'old')");
            assertThat(db.value(v, "SELECT quantity FROM orders WHERE note = 'old'")).isEqualTo("1");
            assertThat(db.value("SELECT quantity FROM orders WHERE note = 'old'")).isEqualTo("0");
            assertThatThrownBy(() -> db.executeIn(v, "INSERT INTO orders (customer_id, quantity, note) VALUES (1, 0, 'new')"))
                    .hasMessageContaining("orders_quantity_check");
            db.executeIn(v, "INSERT INTO orders (customer_id, note) VALUES (1, 'new')");
            db.executeIn(v, "UPDATE orders SET quantity = 7 WHERE note = 'new'");
            assertThat(db.value("SELECT quantity FROM orders WHERE note = 'new'")).isEqualTo("7");
            // an old-version write of another column leaves the new version's value alone
            db.execute("UPDATE orders SET status = 'held' WHERE note = 'old'");
            assertThat(db.value(v, "SELECT CONCAT(quantity, status) FROM orders WHERE note = 'old'")).isEqualTo("1held");
            db.execute("DELETE FROM orders WHERE note IN ('old', 'new')");
        }).afterContract((db, v) -> {
            assertThat(db.value("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA"
                    + " = DATABASE() AND CONSTRAINT_NAME = 'orders_quantity_check'")).isEqualTo("`quantity` > 0");
            assertThatThrownBy(() -> db.execute("UPDATE orders SET quantity = 0 WHERE id = 1"))
                    .hasMessageContaining("orders_quantity_check");
        }).run());
    }

    @TestTemplate
    void addsUniqueGuardingBothVersionsOnceBuilt(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("alter_column_unique.yaml").whileExpanded((db, v) -> {
                db.executeIn(v + ", public", "INSERT INTO products (sku, title, price) VALUES ('UNIQUE-1', 'New', 1)");
                assertThatThrownBy(() -> db.execute("INSERT INTO products (sku, title, price) VALUES ('UNIQUE-1', 'Old', 1)"))
                        .hasMessageContaining("products_sku_key");
                db.execute("DELETE FROM products WHERE sku = 'UNIQUE-1'");
            }).afterContract((db, v) -> {
                assertThat(db.rows("SELECT contype, convalidated FROM pg_constraint WHERE conname = 'products_sku_key'"))
                        .containsExactly("u|t");
                assertThat(db.value("SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'public' "
                        + "AND table_name = 'products' AND column_name = 'sku'")).isEqualTo("NO");
                assertThatThrownBy(() -> db.execute("INSERT INTO products (sku, title, price) VALUES ('SKU-1', 'Twin', 1)"))
                        .hasMessageContaining("products_sku_key");
            }).run();
        });
        // the cycle's own checks: rollback restores the catalog, contract leaves nothing of Tandem's behind
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("alter_column_unique.yaml").run());
    }

    @TestTemplate
    void replacesForeignKey(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("alter_column_foreign_key.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                assertThatThrownBy(() -> db.executeIn(newVersion,
                        "INSERT INTO orders (customer_id, product_id) VALUES (1, 999)"))
                        .hasMessageContaining("violates foreign key constraint");
                db.execute("INSERT INTO orders (customer_id, product_id, note) VALUES (1, 2, 'old')");
                assertThat(db.rows(newVersion, "SELECT product_id FROM orders WHERE note = 'old'")).containsExactly("2");
                db.executeIn(newVersion, "UPDATE orders SET product_id = 3 WHERE note = 'old'");
                assertThat(db.value("SELECT product_id FROM orders WHERE note = 'old'")).isEqualTo("3");
                db.execute("DELETE FROM orders WHERE note = 'old'");
            }).afterContract((db, v) -> {
                assertThat(db.rows("SELECT conname, confdeltype, convalidated FROM pg_constraint "
                        + "WHERE conrelid = 'orders'::regclass AND contype = 'f' ORDER BY conname"))
                        .containsExactly("orders_customer_id_fkey|a|t", "orders_product_id_fkey|n|t");
                db.execute("DELETE FROM products WHERE id = 7");
                assertThat(db.value("SELECT count(*) FROM orders WHERE product_id IS NULL")).isEqualTo("50");
            }).run();
        });
        // the shadow column would lose the column's own foreign key on MariaDB
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("alter_column_foreign_key.yaml").refused(
                "alter_column_foreign_key.yaml: operation 1 (alter_column)",
                "has index or constraint 'orders_product_id_fkey', which this change would lose"));
    }

    @TestTemplate
    void givesAChangedColumnItsNewDefaultAndComment(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration(Examples.inline("bigger_quantities", "alter_column: {table: orders, column: quantity, "
                    + "type: bigint, up: quantity, down: quantity::integer, default: '2', comment: Pieces ordered}"))
                    .whileExpanded((db, v) -> {
                        db.execute("INSERT INTO orders (customer_id, note) VALUES (1, 'old')");
                        db.executeIn(v + ", public", "INSERT INTO orders (customer_id, note) VALUES (1, 'new')");
                        assertThat(db.rows("SELECT note, quantity FROM orders WHERE id > 2500 ORDER BY id"))
                                .containsExactly("old|1", "new|2");
                        assertThat(db.rows(v, "SELECT note, quantity FROM orders WHERE id > 2500 ORDER BY id"))
                                .containsExactly("old|1", "new|2");
                        db.execute("DELETE FROM orders WHERE id > 2500");
                    }).afterContract((db, v) -> {
                        assertThat(db.rows("SELECT data_type, is_nullable, column_default, "
                                + "col_description('orders'::regclass, ordinal_position::int) FROM information_schema.columns "
                                + "WHERE table_schema = 'public' AND table_name = 'orders' AND column_name = 'quantity'"))
                                .containsExactly("bigint|NO|2|Pieces ordered");
                        assertThat(db.value("SELECT quantity FROM orders WHERE id = 4")).isEqualTo("5");
                    }).run();
        });
        on.mariaDb(maria -> {
            Cycle.onMariaDbShop(maria).inline("widen_quantity",
                            "alter_column: {table: orders, column: quantity, type: bigint, up: quantity, down: quantity,"
                                    // the shadow column's own behaviour; MariaDbTableCopyTest has the copy's
                                    + " strategy: in_place}")
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
        });
    }

    @TestTemplate
    void carriesPlainIndexesAndUniqueConstraintsOverToTheNewType(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("alter_column_indexed.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                assertThatThrownBy(() -> db.executeIn(newVersion, "INSERT INTO customers (email, first_name, last_name) "
                        + "VALUES ('customer1@example.com', 'Twin', 'Twin')")).hasMessageContaining("duplicate key");
                db.execute("INSERT INTO orders (customer_id, status, note) VALUES (1, 'held', 'old')");
                assertThat(db.rows(newVersion, "SELECT status FROM orders WHERE note = 'old'")).containsExactly("held");
                db.execute("DELETE FROM orders WHERE note = 'old'");
            }).afterContract((db, v) -> {
                assertThat(db.rows("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('orders', 'customers') "
                        + "AND indexname IN ('orders_status_idx', 'customers_email_key') ORDER BY 1")).containsExactly(
                        "customers_email_key|CREATE UNIQUE INDEX customers_email_key ON public.customers USING btree (email)",
                        "orders_status_idx|CREATE INDEX orders_status_idx ON public.orders USING btree (status)");
                assertThat(db.value("SELECT contype::text || ' ' || convalidated FROM pg_constraint "
                        + "WHERE conname = 'customers_email_key'")).isEqualTo("u true");
                assertThat(db.value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                        + "WHERE attrelid = 'orders'::regclass AND attname = 'status'")).isEqualTo("character varying(20)");
                assertThat(db.value("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isEqualTo("0");
            }).run();
        });
        on.mariaDb(maria -> {
            String indexes = "SELECT GROUP_CONCAT(CONCAT(INDEX_NAME, ':', COLUMN_NAME, ':', NON_UNIQUE) ORDER BY INDEX_NAME)"
                    + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND INDEX_NAME IN ('orders_status_idx', 'customers_email_key')";
            // orders goes through a table copy, which the new version uses once the backfill has filled it
            Cycle.onMariaDbExampleShop(maria).migration(Examples.migration("alter_column_indexed.yaml"))
                    .afterBackfill((db, v) -> {
                        db.execute("UPDATE orders SET status = 'returned' WHERE id = 1");
                        assertThat(db.value(v, "SELECT status FROM orders WHERE id = 1")).isEqualTo("returned");
                        // the copy carries the default the new version's inserts rely on
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
        });
        on.mariaDb(maria -> {
            String indexes = "SELECT GROUP_CONCAT(CONCAT(INDEX_NAME, ':', COLUMN_NAME, ':', NON_UNIQUE) ORDER BY INDEX_NAME)"
                    + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND INDEX_NAME IN ('products_legacy_code_idx', 'customers_phone_key')";
            Cycle<MariaDbTestDatabase> cycle = Cycle.onMariaDbExampleShop(maria);
            maria.execute("CREATE INDEX products_legacy_code_idx ON products (legacy_code)",
                    "ALTER TABLE customers ADD CONSTRAINT customers_phone_key UNIQUE (phone)");
            // in place, where shadows carry the indexes (the copy has the table's own)
            cycle.inline("widen_indexed_columns",
                            "alter_column: {table: products, column: legacy_code, type: varchar(80), up: legacy_code,"
                                    + " down: legacy_code, strategy: in_place}",
                            "alter_column: {table: customers, column: phone, type: varchar(60), up: phone, down: phone,"
                                    + " strategy: in_place}")
                    .whileExpanded((db, v) -> {
                        assertThat(db.value("SELECT COUNT(*) FROM information_schema.STATISTICS"
                                + " WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME IN"
                                + " ('_tandem_products_legacy_code_idx', '_tandem_customers_phone_key')")).isEqualTo("2");
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
        });
    }

    /**
     * A check on the column, alone or with another column, and one never validated: each is added again over the
     * shadow, holds for the new version's writes during the window and takes back its name at contract.
     */
    @Test
    void carriesChecksOverToTheNewType() throws Exception {
        Cycle<TestDatabase> cycle = Cycle.onShop(db).setup(
                "ALTER TABLE products ADD CONSTRAINT products_price_positive CHECK (price > 0)",
                "ALTER TABLE customers ADD CONSTRAINT customers_names_short CHECK "
                        + "(char_length(first_name) + char_length(last_name) < 100)",
                "ALTER TABLE orders ADD CONSTRAINT orders_quantity_small CHECK (quantity < 100) NOT VALID");
        String checks = "SELECT conname || ' ' || convalidated || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE contype = 'c' AND conrelid IN ('products'::regclass, 'customers'::regclass, 'orders'::regclass)"
                + " ORDER BY 1";
        cycle.inline("wider_checked_columns",
                        "alter_column: {table: products, column: price, type: 'numeric(14, 2)', up: price, down: price}",
                        "alter_column: {table: customers, column: first_name, type: varchar(60), up: first_name, "
                                + "down: first_name}",
                        "alter_column: {table: orders, column: quantity, type: bigint, up: quantity, down: quantity}")
                .whileExpanded((d, v) -> {
                    String newVersion = v + ", public";
                    assertThatThrownBy(() -> d.executeIn(newVersion, "INSERT INTO products (sku, title, price) "
                            + "VALUES ('NEG', 'Negative', -1)")).hasMessageContaining("_tandem_products_price_positive");
                    assertThatThrownBy(() -> d.execute("UPDATE products SET price = 0 WHERE id = 1"))
                            .hasMessageContaining("products_price_positive");
                    assertThatThrownBy(() -> d.executeIn(newVersion, "UPDATE customers SET first_name = "
                            + "repeat('x', 60), last_name = repeat('y', 50) WHERE id = 1"))
                            .hasMessageContaining("_tandem_customers_names_short");
                    assertThatThrownBy(() -> d.executeIn(newVersion, "UPDATE orders SET quantity = 100 WHERE id = 1"))
                            .hasMessageContaining("_tandem_orders_quantity_small");
                    d.executeIn(newVersion, "INSERT INTO products (sku, title, price) VALUES ('NEW', 'New', 2.50)");
                    assertThat(d.value("SELECT price FROM products WHERE sku = 'NEW'")).isEqualTo("2.50");
                    d.execute("DELETE FROM products WHERE sku = 'NEW'");
                })
                .afterContract((d, v) -> assertThat(d.rows(checks)).containsExactly(
                        "customers_names_short true CHECK (((char_length((first_name)::text) + char_length(last_name))"
                                + " < 100))",
                        "orders_quantity_small false CHECK ((quantity < 100)) NOT VALID",
                        "products_price_positive true CHECK ((price > (0)::numeric))"))
                .run();
    }

    /**
     * Indexes with a sort order and INCLUDE columns, an operator class, an expression, a predicate over the column or
     * over another one: each is built again over the shadow and takes back its name at contract, as it was.
     */
    @Test
    void carriesIndexesWithExpressionsPredicatesAndOptionsOverToTheNewType() throws Exception {
        String[] indexes = {
                "CREATE UNIQUE INDEX customers_phone_desc ON customers (phone DESC) INCLUDE (id)",
                "CREATE INDEX customers_name_pattern ON customers (last_name text_pattern_ops)",
                "CREATE UNIQUE INDEX customers_phone_digits ON customers (replace(phone, '-', '')) WHERE phone <> ''",
                "CREATE INDEX orders_bulk_idx ON orders (product_id) WHERE quantity > 3",
                "CREATE INDEX orders_open_idx ON orders (status COLLATE \"C\") WHERE status = 'new'"};
        String definitions = "SELECT indexdef FROM pg_indexes WHERE indexname IN ('customers_phone_desc', "
                + "'customers_name_pattern', 'customers_phone_digits', 'orders_bulk_idx', 'orders_open_idx') ORDER BY 1";
        Cycle<TestDatabase> cycle = Cycle.onShop(db).setup(indexes);
        cycle.inline("retype_indexed_columns",
                        "alter_column: {table: customers, column: phone, type: varchar(40), up: phone, down: phone}",
                        "alter_column: {table: customers, column: last_name, type: varchar(80), up: last_name, "
                                + "down: last_name}",
                        "alter_column: {table: orders, column: quantity, type: bigint, up: quantity, down: quantity}",
                        "alter_column: {table: orders, column: status, type: varchar(20), up: status, down: status}")
                .whileExpanded((d, v) -> {
                    assertThat(d.value("SELECT indexdef FROM pg_indexes WHERE indexname = "
                            + "'_tandem_customers_phone_digits'")).isEqualTo("CREATE UNIQUE INDEX "
                            + "_tandem_customers_phone_digits ON public.customers USING btree "
                            + "(replace((_tandem_phone)::text, '-'::text, ''::text)) WHERE ((_tandem_phone)::text <> ''::text)");
                    // the copy holds for the old version's writes too, through up
                    assertThatThrownBy(() -> d.execute("UPDATE customers SET phone = '55-51' WHERE id = 2"))
                            .hasMessageContaining("customers_phone_digits");
                })
                .afterContract((d, v) -> {
                    assertThat(d.rows(definitions)).containsExactly(
                            "CREATE INDEX customers_name_pattern ON public.customers USING btree "
                                    + "(last_name text_pattern_ops)",
                            "CREATE INDEX orders_bulk_idx ON public.orders USING btree (product_id) WHERE (quantity > 3)",
                            "CREATE INDEX orders_open_idx ON public.orders USING btree (status COLLATE \"C\") "
                                    + "WHERE ((status)::text = 'new'::text)",
                            "CREATE UNIQUE INDEX customers_phone_desc ON public.customers USING btree (phone DESC) "
                                    + "INCLUDE (id)",
                            "CREATE UNIQUE INDEX customers_phone_digits ON public.customers USING btree "
                                    + "(replace((phone)::text, '-'::text, ''::text)) WHERE ((phone)::text <> ''::text)");
                    assertThat(d.value("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isEqualTo("0");
                })
                .run();
    }

    /** A column with a collation of its own keeps it through the shadow, and so does the index over it. */
    @Test
    void keepsTheColumnsCollation() throws Exception {
        String collations = "SELECT attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attcollation::regcollation"
                + " FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname IN ('last_name', 'phone')"
                + " ORDER BY 1";
        Cycle.onShop(db).setup("ALTER TABLE customers ALTER COLUMN last_name TYPE text COLLATE \"C\"",
                        "CREATE INDEX customers_last_name ON customers (last_name)")
                .inline("retype_names",
                        "alter_column: {table: customers, column: last_name, type: varchar(80), up: last_name, "
                                + "down: last_name}",
                        "alter_column: {table: customers, column: phone, type: varchar(40), up: phone, down: phone}")
                .whileExpanded((d, v) -> assertThat(d.value("SELECT attcollation::regcollation FROM pg_attribute "
                        + "WHERE attrelid = 'customers'::regclass AND attname = '_tandem_last_name'")).isEqualTo("\"C\""))
                .afterContract((d, v) -> {
                    assertThat(d.rows(collations)).containsExactly(
                            "last_name character varying(80) \"C\"", "phone character varying(40) \"default\"");
                    assertThat(d.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'customers_last_name'"))
                            .isEqualTo("CREATE INDEX customers_last_name ON public.customers USING btree (last_name)");
                })
                .run();
    }

    /** An index over two columns two operations replace would be built twice over a shadow: refused, nothing done. */
    @Test
    void refusesAnIndexOverTwoColumnsTheMigrationReplaces() {
        db.execute(Examples.shop());
        db.execute("CREATE INDEX customers_full_name ON customers ((first_name || ' ' || last_name))");
        List<String> before = Catalog.dump(db);
        assertThatThrownBy(() -> db.tandem().expand(Examples.inline("name_types",
                "alter_column: {table: customers, column: first_name, type: varchar(80), up: first_name, "
                        + "down: first_name}",
                "alter_column: {table: customers, column: last_name, type: varchar(80), up: last_name, "
                        + "down: last_name}")))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("'customers_full_name'");
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
    }

    @Test
    void refusesChangesThatWouldBreakTheOldVersion() {
        db.execute(Examples.shop());
        List<String> before = Catalog.dump(db);
        assertThatThrownBy(() -> db.tandem().expand(Examples.inline("phone_required",
                "alter_column: {table: customers, column: phone, nullable: false}")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("needs 'up'");
        assertThatThrownBy(() -> db.tandem().expand(Examples.inline("sku_optional",
                "alter_column: {table: products, column: sku, nullable: true}")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("needs 'down'");
        // the check would bind to the old column, which contract drops with the check
        assertThatThrownBy(() -> db.tandem().expand(Examples.inline("check_by_old_name",
                "rename_column: {table: products, from: price, to: price_cents}",
                "alter_column: {table: products, column: price_cents, check: price > 0}")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("names column 'price', which table 'products' no longer has");
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
    }

    private static void pricesInCents(TestDatabase pg, String example) throws Exception {
        Cycle.onShop(pg).migration(example).whileExpanded((db, v) -> {
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

    /**
     * A partitioned table (PostgreSQL): its partitions take every change of it (columns, row triggers) and are no
     * tables of the versions' own, so contract's drop of the old column is not held up by views of them.
     */
    @Test
    void changesTheTypeOfAColumnOfAPartitionedTable() throws Exception {
        Cycle.on(db, db::tandem, Catalog::dump).setup("CREATE TABLE events (id bigint, at date NOT NULL, qty int,"
                        + " PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                        "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                        "INSERT INTO events SELECT g, DATE '2025-06-01' + g % 400, g % 10 FROM generate_series(1, 1000) g")
                .inline("qty_bigint", "alter_column: {table: events, column: qty, type: bigint, up: qty, down: qty::int}")
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO events VALUES (5000, '2026-02-02', 3)",
                            "INSERT INTO events_2025 VALUES (5001, '2025-02-02', 4)");
                    assertThat(db.value(v + ", public", "SELECT sum(qty) FROM events WHERE id >= 5000")).isEqualTo("7");
                    db.executeIn(v + ", public", "UPDATE events SET qty = 8 WHERE id = 1");
                    assertThat(db.value("SELECT qty FROM events_2025 WHERE id = 1")).isEqualTo("8");
                    db.execute("DELETE FROM events WHERE id >= 5000");
                })
                .afterContract((db, v) -> {
                    assertThat(db.rows("SELECT DISTINCT format_type(atttypid, atttypmod) FROM pg_attribute"
                            + " WHERE attname = 'qty' AND attrelid::regclass::text LIKE 'events%'")).containsExactly("bigint");
                    assertThat(db.value("SELECT count(*) || '/' || sum(qty) FROM events")).isEqualTo("1000/4507");
                })
                .run();
    }
}
