package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.RegisterExtension;

@BothDatabases
class DropTableTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void keepsTheTableForTheOldVersionUntilContract(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("drop_table.yaml").whileExpanded((db, v) -> {
                // the old version keeps writing and reading the table
                db.execute("INSERT INTO audit_log (message) VALUES ('still logging')");
                assertThat(db.value("SELECT count(*) FROM audit_log")).isEqualTo("21");
                // the new version's schema has no view of it, and its other tables work
                assertThat(db.value("SELECT to_regclass('" + v + ".audit_log') IS NULL")).isEqualTo("t");
                assertThat(db.rows(v + ", public", "SELECT count(*) FROM " + v + ".customers")).containsExactly("200");
                db.execute("DELETE FROM audit_log WHERE message = 'still logging'");
            }).afterContract((db, v) -> {
                assertThat(db.value("SELECT to_regclass('public.audit_log') IS NULL")).isEqualTo("t");
                assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname LIKE 'audit_log%'")).isEqualTo("0");
                assertThat(db.rows(v + ", public", "SELECT count(*) FROM orders")).containsExactly("2500");
            }).run();
        });
        on.mariaDb(maria -> {
            Cycle.onMariaDbExampleShop(maria).migration(Examples.migration("drop_table.yaml"))
                    .whileExpanded((db, v) -> {
                        db.execute("INSERT INTO audit_log (message) VALUES ('still written by the old version')");
                        assertThat(db.value("SELECT COUNT(*) FROM information_schema.TABLES"
                                + " WHERE TABLE_SCHEMA = '" + v + "' AND TABLE_NAME = 'audit_log'"))
                                .isEqualTo("0");
                        db.executeIn(v, "INSERT INTO orders (customer_id, quantity) VALUES (1, 2)");
                        db.execute("DELETE FROM audit_log WHERE id > 20", "DELETE FROM orders WHERE id > 2500");
                    })
                    .afterContract((db, v) -> assertThat(db.value(
                            "SELECT COUNT(*) FROM information_schema.TABLES"
                                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'audit_log'")).isEqualTo("0"))
                    .run();
        });
    }

    @Test
    void refusesATableOthersStillReference() {
        db.execute(Examples.shop());
        assertThatThrownBy(() -> db.tandem().expand(parse("drop_products.yaml", """
                name: drop_products
                operations:
                  - drop_table:
                      table: products
                """))).isInstanceOf(InvalidMigrationException.class)
                .hasMessage("drop_products.yaml: operation 1 (drop_table): table 'products' is referenced by foreign key "
                        + "orders.orders_product_id_fkey: drop it with drop_constraint before drop_table");
        assertThat(db.tandem().status()).isEmpty();
    }

    @TestTemplate
    void dropsAReferencedTableOnceItsForeignKeyGoesFirst(OnDatabase on) throws Exception {
        Migration migration = parse("drop_products.yaml", """
                name: drop_products
                operations:
                  - drop_constraint:
                      table: orders
                      name: orders_product_id_fkey
                  - drop_table:
                      table: products
                """);
        on.postgres(pg -> {
            Cycle.onShop(pg).migration(migration).whileExpanded((db, v) -> {
                assertThat(db.value("SELECT count(*) FROM orders o JOIN products p ON p.id = o.product_id")).isEqualTo("2500");
                assertThat(db.value("SELECT to_regclass('" + v + ".products') IS NULL")).isEqualTo("t");
            }).afterContract((db, v) -> {
                assertThat(db.value("SELECT to_regclass('public.products') IS NULL")).isEqualTo("t");
                assertThat(db.rows(v + ", public", "SELECT count(DISTINCT product_id) FROM orders")).containsExactly("50");
            }).run();
        });
        // the cycle's own checks: rollback restores the catalog, contract leaves nothing of Tandem's behind
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration(migration).run());
    }

    private static Migration parse(String file, String yaml) {
        return new MigrationParser().parse(file, yaml.getBytes(StandardCharsets.UTF_8));
    }
}
