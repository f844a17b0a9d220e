package dev.tandem.coordinator.internal.dialect.mariadb;

import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;

/** {@link Cycle}s on MariaDB: on a shop in MariaDB's SQL or the examples' shop, catalogs read from information_schema. */
final class MariaDbCycle {
    /** A small shop in MariaDB's SQL: customers and their orders. */
    static final String[] SHOP = {
            "CREATE TABLE customers (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE,"
                    + " first_name VARCHAR(50) NOT NULL, last_name VARCHAR(50) NOT NULL, phone VARCHAR(20))",
            "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL, quantity INT,"
                    + " note VARCHAR(200), legacy_code VARCHAR(20),"
                    + " CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id))",
            "INSERT INTO customers (email, first_name, last_name, phone) SELECT CONCAT('customer', seq, '@example.com'),"
                    + " CONCAT('First', seq), CONCAT('Last', seq), IF(seq % 3 = 0, NULL, CONCAT('555-', seq))"
                    + " FROM seq_1_to_200",
            "INSERT INTO orders (customer_id, quantity, note, legacy_code) SELECT 1 + seq % 200, 1 + seq % 5,"
                    + " IF(seq % 2 = 0, CONCAT('note ', seq), NULL), CONCAT('L', seq) FROM seq_1_to_2500"};

    private MariaDbCycle() {
    }

    /** Runs the shop's statements at once, so a test can change it before the cycle runs. */
    static Cycle<MariaDbTestDatabase> onShop(MariaDbTestDatabase db) {
        db.execute(SHOP);
        return on(db);
    }

    /** The example shop of migrations-examples ({@code schema/shop-mariadb.sql}), for the example migrations. */
    static Cycle<MariaDbTestDatabase> onExampleShop(MariaDbTestDatabase db) {
        db.execute(Examples.schema("shop-mariadb.sql"));
        return on(db);
    }

    private static Cycle<MariaDbTestDatabase> on(MariaDbTestDatabase db) {
        return Cycle.on(db, db::tandem, MariaDbCatalogDump::of);
    }
}
