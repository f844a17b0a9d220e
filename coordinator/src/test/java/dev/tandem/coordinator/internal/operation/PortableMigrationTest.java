package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import java.util.List;
import org.junit.jupiter.api.TestTemplate;

/** One migration file for both databases: per-database expressions, and constraints named as the file says. */
@BothDatabases
class PortableMigrationTest {
    private static final String[] PER_DATABASE_UP = {
            "alter_column: {table: products, column: price, type: bigint,"
                    + " up: {postgresql: \"round(price * 100)::bigint\", mariadb: \"CAST(round(price * 100) AS SIGNED)\"},"
                    + " down: \"CAST(price / 100.0 AS DECIMAL(10, 2))\"}",
            "add_column: {table: customers, column: {name: display_name, type: varchar(220)},"
                    + " up: {postgresql: \"first_name || ' ' || last_name\", mariadb: \"CONCAT(first_name, ' ', last_name)\"}}"};

    private static final String[] NAMED = {
            "create_table: {table: coupons, columns: [{name: id, type: bigint, primary_key: true},"
                    + " {name: code, type: varchar(40), nullable: false, unique: {name: uq_coupons_code},"
                    + " check: {name: ck_coupons_code, constraint: \"CHAR_LENGTH(code) > 2\"}},"
                    + " {name: customer_id, type: bigint, references: {table: customers, column: id, name: fk_coupons_customer}}]}",
            "add_column: {table: orders, column: {name: coupon_id, type: bigint, unique: {name: uq_orders_coupon},"
                    + " references: {table: coupons, column: id, name: fk_orders_coupon}}}",
            "alter_column: {table: products, column: sku, unique: {name: uq_products_sku}}"};

    @TestTemplate
    void eachDatabaseRunsItsOwnUp(OnDatabase on) throws Exception {
        on.postgres(pg -> Cycle.onShop(pg).inline("per_database_up", PER_DATABASE_UP)
                .whileExpanded((db, v) -> bothVersionsConvert(db, v + ", public"))
                .afterContract((db, v) -> pricesInCents(db)).run());
        // products goes through the table copy on MariaDB, which the new version uses once the backfill filled it
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).inline("per_database_up", PER_DATABASE_UP)
                .afterBackfill(PortableMigrationTest::bothVersionsConvert)
                .afterContract((db, v) -> pricesInCents(db)).run());
    }

    private static void bothVersionsConvert(StatementsAsVersion db, String newVersion) {
        db.execute("INSERT INTO products (sku, title, price) VALUES ('OLD-1', 'Old', 3.10)");
        assertThat(db.value(newVersion, "SELECT price FROM products WHERE sku = 'OLD-1'")).isEqualTo("310");
        db.executeIn(newVersion, "INSERT INTO products (sku, title, price) VALUES ('NEW-1', 'New', 425)");
        assertThat(db.value("SELECT price FROM products WHERE sku = 'NEW-1'")).isEqualTo("4.25");
        db.execute("INSERT INTO customers (email, first_name, last_name) VALUES ('old@x', 'Ada', 'Old')");
        assertThat(db.value(newVersion, "SELECT display_name FROM customers WHERE email = 'old@x'")).isEqualTo("Ada Old");
        db.execute("DELETE FROM products WHERE sku IN ('OLD-1', 'NEW-1')", "DELETE FROM customers WHERE email = 'old@x'");
    }

    private static void pricesInCents(StatementsAsVersion db) {
        assertThat(db.rows("SELECT price FROM products WHERE id IN (1, 2) ORDER BY id")).containsExactly("125", "250");
        assertThat(db.value("SELECT display_name FROM customers WHERE id = 7")).isEqualTo("First7 Last7");
    }

    @TestTemplate
    void constraintsHaveTheNamesTheFileGives(OnDatabase on) throws Exception {
        String pg = "SELECT conname FROM pg_constraint WHERE conrelid = '%s'::regclass AND contype <> 'p'"
                + " AND conname NOT LIKE '%%\\_not\\_null' ORDER BY conname";
        on.postgres(db -> Cycle.onShop(db).inline("named", NAMED)
                .afterContract((d, v) -> names(d, pg)).run());
        String maria = "SELECT CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = '%s' AND CONSTRAINT_TYPE <> 'PRIMARY KEY' ORDER BY 1";
        on.mariaDb(db -> Cycle.onMariaDbExampleShop(db).inline("named", NAMED)
                .afterContract((d, v) -> names(d, maria)).run());
    }

    private static void names(StatementsAsVersion db, String query) {
        assertThat(db.rows(query.formatted("coupons")))
                .containsExactly("ck_coupons_code", "fk_coupons_customer", "uq_coupons_code");
        assertThat(db.rows(query.formatted("orders")))
                .containsExactly("fk_orders_coupon", "orders_customer_id_fkey", "orders_product_id_fkey", "uq_orders_coupon");
        assertThat(db.rows(query.formatted("products"))).containsExactly("uq_products_sku");
    }

    @TestTemplate
    void alterColumnNamesTheCheckAndForeignKeyItAdds(OnDatabase on) throws Exception {
        String[] operations = {
                "alter_column: {table: orders, column: quantity, check: {name: ck_orders_quantity, constraint: quantity > 0}}",
                "alter_column: {table: orders, column: product_id, references: {table: products, column: id,"
                        + " on_delete: set null, name: fk_orders_product}}"};
        on.postgres(pg -> Cycle.onShop(pg).inline("named_alter", operations)
                .afterContract((db, v) -> assertThat(db.rows("SELECT conname, convalidated FROM pg_constraint"
                        + " WHERE conrelid = 'orders'::regclass AND contype IN ('c', 'f') ORDER BY conname"))
                        .containsExactly("ck_orders_quantity|t", "fk_orders_product|t", "orders_customer_id_fkey|t"))
                .run());
        // through a copy of orders, which carries the check under its name
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).inline("named_alter", operations[0])
                .afterContract((db, v) -> assertThat(db.value("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                        + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'ck_orders_quantity'"))
                        .isEqualTo("`quantity` > 0"))
                .run());
    }

    @TestTemplate
    void aChosenNameMustBeFree(OnDatabase on) throws Exception {
        String clash = "add_column: {table: orders, column: {name: coupon, type: bigint,"
                + " references: {table: customers, column: id, name: orders_customer_id_fkey}}}";
        String twice = "alter_column: {table: products, column: sku, unique: {name: k},"
                + " references: {table: products, column: sku, name: k}}";
        on.postgres(pg -> Cycle.onShop(pg).inline("clash", clash).refused("operation 1 (add_column)",
                "a constraint named 'orders_customer_id_fkey' already exists"));
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).inline("twice", twice).refused(
                "operation 1 (alter_column)", "two constraints are named 'k'"));
    }
}
