package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Foreign keys on MariaDB: the changes their actions make fire no triggers, so sync triggers whose inputs a
 * key's action can change are refused; a key added to a table with rows is checked at expand.
 */
class MariaDbForeignKeysTest {
    private static final String ADD_CODE = "add_column: {table: orders, column: {name: code, type: varchar(40)},"
            + " up: \"CONCAT('C', customer_id)\"}";

    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    private void customerKey(String actions) {
        db.execute("ALTER TABLE orders DROP FOREIGN KEY orders_customer_fk",
                "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) "
                        + actions);
    }

    @Test
    void cascadingUpdateOfAnInputIsRefusedByPlanAndExpand() {
        db.execute(Examples.MARIADB_SHOP);
        db.execute("ALTER TABLE orders MODIFY customer_id BIGINT NULL");
        for (String actions : List.of("ON UPDATE CASCADE", "ON DELETE SET NULL", "ON UPDATE SET NULL")) {
            customerKey(actions);
            Cycle.on(db).migration(Examples.inline("add_code", ADD_CODE)).refused(
                    "add_code.yaml: operation 1 (add_column)", "column 'customer_id' is kept in step by sync triggers",
                    "foreign key 'orders_customer_fk' (ON UPDATE", "without firing triggers");
        }
    }

    @Test
    void deleteCascadeRemovesWholeRowsAndIsAllowed() throws Exception {
        Cycle<MariaDbTestDatabase> cycle = Cycle.onMariaDbShop(db);
        customerKey("ON DELETE CASCADE");
        cycle.inline("add_code", ADD_CODE)
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO customers (id, email, first_name, last_name) VALUES (900, 'gone@x', 'G', 'G')",
                            "INSERT INTO orders (customer_id, quantity) VALUES (900, 1)");
                    assertThat(db.value(v, "SELECT code FROM orders WHERE customer_id = 900")).isEqualTo("C900");
                    db.executeIn(v, "DELETE FROM customers WHERE id = 900");
                    assertThat(db.value("SELECT COUNT(*) FROM orders WHERE customer_id = 900")).isEqualTo("0");
                })
                .afterContract((db, v) -> assertThat(db.value(
                        "SELECT COUNT(*) FROM orders WHERE code IS NULL OR code <> CONCAT('C', customer_id)")).isEqualTo("0"))
                .run();
    }

    @Test
    void cascadingKeyOnColumnsTheTriggersDoNotReadIsAllowed() throws Exception {
        Cycle<MariaDbTestDatabase> cycle = Cycle.onMariaDbShop(db);
        db.execute("ALTER TABLE orders MODIFY customer_id BIGINT NULL");
        customerKey("ON UPDATE CASCADE ON DELETE SET NULL");
        cycle.inline("add_size", "add_column: {table: orders, column: {name: size, type: varchar(10)},"
                        + " up: \"CONCAT('Q', quantity)\"}")
                .whileExpanded((db, v) -> {
                    db.execute("UPDATE customers SET id = 9000 WHERE id = 7");
                    assertThat(db.value(v, "SELECT COUNT(*) FROM orders WHERE customer_id = 9000")).isNotEqualTo("0");
                    db.execute("UPDATE customers SET id = 7 WHERE id = 9000");
                })
                .afterContract((db, v) -> assertThat(db.value(
                        "SELECT COUNT(*) FROM orders WHERE size <> CONCAT('Q', quantity)")).isEqualTo("0"))
                .run();
    }

    @Test
    void keyAddedToATableWithViolatingRowsFailsExpandWhichUndoesItself() {
        db.execute(Examples.MARIADB_SHOP);
        db.execute("CREATE TABLE codes (code VARCHAR(20) PRIMARY KEY)",
                "INSERT INTO codes SELECT legacy_code FROM orders WHERE id <> 17");
        List<String> before = Catalog.dump(db);
        Tandem tandem = db.tandem();
        assertThatThrownBy(() -> tandem.expand(Examples.inline("known_codes", "create_constraint: {table: orders,"
                + " name: orders_code_fkey, type: foreign_key, columns: [legacy_code], references: {table: codes,"
                + " columns: [code]}}")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("known_codes.yaml")
                .hasMessageContaining("rows of orders violate foreign key orders_code_fkey")
                .hasMessageContaining("rolled back");
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
        assertThat(tandem.status()).isEmpty();
    }

    @Test
    void newKeyThatWouldSetSyncedColumnsNullIsRefused() {
        db.execute(Examples.MARIADB_SHOP);
        db.execute("CREATE TABLE codes (code VARCHAR(20) PRIMARY KEY)", "INSERT INTO codes SELECT legacy_code FROM orders");
        Cycle.on(db).migration(Examples.inline("coded_orders",
                "add_column: {table: orders, column: {name: code, type: varchar(40)}, up: \"CONCAT('C', legacy_code)\"}",
                "create_constraint: {table: orders, name: orders_code_fkey, type: foreign_key, columns: [legacy_code],"
                        + " references: {table: codes, columns: [code], on_delete: set null}}")).refused(
                "coded_orders.yaml: operation 2 (create_constraint)",
                "foreign key 'orders_code_fkey' (ON DELETE SET NULL) would change legacy_code");
    }

    @Test
    void droppingAKeyWhoseIndexAnotherKeyUsesGivesThatKeyItsOwn() throws Exception {
        Cycle<MariaDbTestDatabase> cycle = Cycle.onMariaDbShop(db);
        // MariaDB renames the one index both keys use after the newer key
        db.execute("ALTER TABLE orders ADD CONSTRAINT orders_customer_again_fk FOREIGN KEY (customer_id)"
                + " REFERENCES customers (id)");
        String indexes = "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders'";
        assertThat(db.value(indexes)).isEqualTo("orders_customer_again_fk,PRIMARY");
        cycle.inline("one_customer_key", "drop_constraint: {table: orders, name: orders_customer_again_fk}")
                .afterContract((db, v) -> {
                    assertThat(db.value(indexes)).isEqualTo("orders_customer_fk,PRIMARY");
                    assertThatThrownBy(() -> db.execute("INSERT INTO orders (customer_id) VALUES (99999)"))
                            .hasMessageContaining("orders_customer_fk");
                })
                .run();
    }
}
