package dev.tandem.coordinator.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.backfill.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import java.util.List;

/**
 * The life of one migration on MariaDB, checked after every step, as {@link dev.tandem.coordinator.testing.Cycle}
 * does on PostgreSQL: setup → expand → both versions work → rollback → catalog exactly as before → expand →
 * both versions work → backfill → contract → final checks.
 */
final class MariaDbCycle {
    /** A check run against the database; {@code newVersion} is the new version's database of views. */
    @FunctionalInterface
    interface Check {
        void check(MariaDbTestDatabase db, String newVersion) throws Exception;
    }

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

    private final MariaDbTestDatabase db;
    private Migration migration;
    private Check whileExpanded = (db, version) -> { };
    private Check afterContract = (db, version) -> { };

    private MariaDbCycle(MariaDbTestDatabase db) {
        this.db = db;
    }

    static MariaDbCycle onShop(MariaDbTestDatabase db) {
        db.execute(SHOP);
        return new MariaDbCycle(db);
    }

    /** The example shop of migrations-examples ({@code schema/shop-mariadb.sql}), for the example migrations. */
    static MariaDbCycle onExampleShop(MariaDbTestDatabase db) {
        db.execute(Examples.schema("shop-mariadb.sql"));
        return new MariaDbCycle(db);
    }

    MariaDbCycle migration(Migration migration) {
        this.migration = migration;
        return this;
    }

    /** A migration of inline operations, one YAML flow mapping each. */
    MariaDbCycle migration(String name, String... operations) {
        this.migration = Examples.inline(name, operations);
        return this;
    }

    MariaDbCycle whileExpanded(Check check) {
        this.whileExpanded = check;
        return this;
    }

    MariaDbCycle afterContract(Check check) {
        this.afterContract = check;
        return this;
    }

    void run() throws Exception {
        Tandem tandem = db.tandem();
        List<String> before = MariaDbCatalogDump.of(db);

        tandem.expand(migration);
        String version = tandem.status().get(0).versionSchema();
        whileExpanded.check(db, version);
        tandem.rollback(migration.name());
        assertThat(MariaDbCatalogDump.of(db)).as("catalog after rollback").containsExactlyElementsOf(before);

        tandem.expand(migration);
        whileExpanded.check(db, version);
        tandem.backfill(migration.name(), BackfillListener.NONE);
        tandem.contract(migration.name());
        assertThat(MariaDbCatalogDump.of(db)).as("nothing of Tandem's dual-write machinery is left")
                .noneMatch(line -> line.contains("_tandem_"));
        afterContract.check(db, version);
    }
}
