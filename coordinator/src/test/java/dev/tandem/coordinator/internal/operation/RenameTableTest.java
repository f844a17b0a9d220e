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
class RenameTableTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void showsTheNewNameOnlyInTheVersionSchemaUntilContract(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("rename_table.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                assertThat(db.value("SELECT to_regclass('public.catalog_items') IS NULL")).isEqualTo("t");
                assertThat(db.value("SELECT to_regclass('" + v + ".catalog_items') IS NOT NULL")).isEqualTo("t");
                assertThat(db.value("SELECT to_regclass('" + v + ".products') IS NULL")).isEqualTo("t");
                // the same rows under both names
                db.execute("INSERT INTO products (sku, title, price) VALUES ('SKU-OLD', 'From old', 2)");
                assertThat(db.rows(newVersion, "SELECT title FROM catalog_items WHERE sku = 'SKU-OLD'"))
                        .containsExactly("From old");
                db.execute("SET search_path TO " + newVersion,
                        "INSERT INTO catalog_items (sku, title, price) VALUES ('SKU-NEW', 'From new', 3)",
                        "UPDATE catalog_items SET price = 4 WHERE sku = 'SKU-OLD'");
                assertThat(db.rows("SELECT sku, price FROM products WHERE id > 50 ORDER BY sku"))
                        .containsExactly("SKU-NEW|3.00", "SKU-OLD|4.00");
                // the old version's joins still find the products the new version wrote
                assertThat(db.value("SELECT count(*) FROM orders o JOIN products p ON p.id = o.product_id"))
                        .isEqualTo("2500");
                db.execute("DELETE FROM products WHERE id > 50");
            }).afterContract((db, v) -> {
                assertThat(db.value("SELECT to_regclass('public.products') IS NULL")).isEqualTo("t");
                assertThat(db.value("SELECT count(*) FROM public.catalog_items")).isEqualTo("50");
                assertThat(db.value("SELECT confrelid::regclass::text FROM pg_constraint "
                        + "WHERE conname = 'orders_product_id_fkey'")).isEqualTo("catalog_items");
                db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO catalog_items (sku, title, price) VALUES ('SKU-LATE', 'After contract', 5)");
                assertThat(db.rows(v + ", public", "SELECT title FROM catalog_items WHERE sku = 'SKU-LATE'"))
                        .containsExactly("After contract");
            }).run();
        });
        on.mariaDb(maria -> {
            Cycle.onMariaDbExampleShop(maria).migration(Examples.migration("rename_table.yaml"))
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
                        assertThat(db.value("SELECT COUNT(*) FROM information_schema.TABLES"
                                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'products'"))
                                .isEqualTo("0");
                        assertThat(db.value("SELECT COUNT(*) FROM catalog_items")).isEqualTo("50");
                        assertThat(db.value(v, "SELECT title FROM catalog_items WHERE id = 2")).isEqualTo("Product 2");
                        // the orders' foreign key follows the table
                        assertThat(db.value("SELECT REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
                                + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'orders_product_id_fkey'"))
                                .isEqualTo("catalog_items");
                    })
                    .run();
        });
    }

    @Test
    void refusesANameTakenByATableOrIndex() {
        db.execute(Examples.shop());
        assertThatThrownBy(() -> db.tandem().expand(parse("clash.yaml", """
                name: clash
                operations:
                  - rename_table:
                      from: products
                      to: orders_status_idx
                """))).isInstanceOf(InvalidMigrationException.class)
                .hasMessage("clash.yaml: operation 1 (rename_table): an index named 'orders_status_idx' already exists");
        assertThatThrownBy(() -> db.tandem().expand(parse("clash.yaml", """
                name: clash
                operations:
                  - rename_table:
                      from: products
                      to: orders
                """))).isInstanceOf(InvalidMigrationException.class)
                .hasMessage("clash.yaml: operation 1 (rename_table): table 'orders' already exists");
    }

    private static Migration parse(String file, String yaml) {
        return new MigrationParser().parse(file, yaml.getBytes(StandardCharsets.UTF_8));
    }
}
