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
class RenameConstraintTest {
    private static final String NAMES = "SELECT conname || ' ' || conrelid::regclass::text FROM pg_constraint "
            + "WHERE conname LIKE 'customers_email%' OR conname LIKE 'orders_customer%' ORDER BY 1";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void renamesAtContractWithTheUniqueIndex(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("rename_constraint.yaml").whileExpanded((db, v) -> {
                assertThat(db.rows(NAMES)).containsExactly("customers_email_key customers",
                        "orders_customer_id_fkey orders");
                assertThatThrownBy(() -> db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO orders (customer_id) VALUES (999999)"))
                        .hasMessageContaining("orders_customer_id_fkey");
                db.execute("INSERT INTO customers (email, first_name, last_name) VALUES ('old@x', 'Old', 'Version')");
                db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO orders (customer_id, note) SELECT id, 'new' FROM customers WHERE email = 'old@x'");
                assertThat(db.value("SELECT c.first_name FROM orders o JOIN customers c ON c.id = o.customer_id "
                        + "WHERE o.note = 'new'")).isEqualTo("Old");
                db.execute("DELETE FROM orders WHERE note = 'new'", "DELETE FROM customers WHERE email = 'old@x'");
            }).afterContract((db, v) -> {
                assertThat(db.rows(NAMES)).containsExactly("customers_email_unique customers", "orders_customer_fk orders");
                assertThat(db.value("SELECT to_regclass('public.customers_email_unique') IS NOT NULL")).isEqualTo("t");
                assertThat(db.value("SELECT to_regclass('public.customers_email_key') IS NULL")).isEqualTo("t");
                assertThatThrownBy(() -> db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO customers (email, first_name, last_name) VALUES ('customer1@example.com', 'A', 'B')"))
                        .hasMessageContaining("customers_email_unique");
            }).run();
        });
        on.mariaDb(maria -> {
            String names = "SELECT GROUP_CONCAT(CONSTRAINT_NAME ORDER BY CONSTRAINT_NAME) FROM information_schema.TABLE_CONSTRAINTS"
                    + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME LIKE 'customers\\_email%'"
                    + " OR CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME LIKE 'orders\\_customer%'";
            Cycle.onMariaDbExampleShop(maria).migration(Examples.migration("rename_constraint.yaml"))
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
        });
    }

    @TestTemplate
    void replacesAForeignKeyUnderItsOldName(OnDatabase on) throws Exception {
        // the usual way to change a foreign key's ON DELETE without a window where nothing guards the rows
        Migration migration = parse("cascade_orders.yaml", """
                name: cascade_orders
                operations:
                  - create_constraint:
                      table: orders
                      name: orders_customer_id_cascade_fkey
                      type: foreign_key
                      columns: [customer_id]
                      references:
                        table: customers
                        columns: [id]
                        on_delete: cascade
                  - drop_constraint:
                      table: orders
                      name: orders_customer_id_fkey
                  - rename_constraint:
                      table: orders
                      from: orders_customer_id_cascade_fkey
                      to: orders_customer_id_fkey
                """);
        on.postgres(pg -> {
            Cycle.onShop(pg).migration(migration).whileExpanded((db, v) ->
                    assertThat(db.rows(NAMES)).containsExactly("customers_email_key customers",
                            "orders_customer_id_cascade_fkey orders", "orders_customer_id_fkey orders")
            ).afterContract((db, v) -> {
                assertThat(db.value("SELECT pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint "
                        + "WHERE conname LIKE 'orders_customer%'"))
                        .isEqualTo("FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE true");
                db.execute("SET search_path TO " + v + ", public", "DELETE FROM customers WHERE id = 1");
                assertThat(db.value("SELECT count(*) FROM orders WHERE customer_id = 1")).isEqualTo("0");
            }).run();
        });
        // the cycle's own checks: rollback restores the catalog, contract leaves nothing of Tandem's behind
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration(migration).run());
    }

    @TestTemplate
    void renamesAUniqueConstraintTheSameMigrationCreates(OnDatabase on) throws Exception {
        Migration migration = parse("sku_key.yaml", """
                name: sku_key
                operations:
                  - create_constraint:
                      table: products
                      name: products_sku_key
                      type: unique
                      columns: [sku]
                  - rename_constraint:
                      table: products
                      from: products_sku_key
                      to: products_sku_unique
                """);
        on.postgres(pg -> {
            Cycle.onShop(pg).migration(migration).afterContract((db, v) ->
                    assertThat(db.rows("SELECT conname || ' ' || conindid::regclass::text FROM pg_constraint "
                            + "WHERE conrelid = 'products'::regclass AND contype = 'u'"))
                            .containsExactly("products_sku_unique products_sku_unique")
            ).run();
        });
        // the cycle's own checks: rollback restores the catalog, contract leaves nothing of Tandem's behind
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration(migration).run());
    }

    @Test
    void refusesAMissingConstraintOrATakenName() {
        db.execute(Examples.shop());
        assertThatThrownBy(() -> db.tandem().expand(parse("missing.yaml", """
                name: missing
                operations:
                  - rename_constraint:
                      table: orders
                      from: orders_nothing_check
                      to: orders_something_check
                """))).isInstanceOf(InvalidMigrationException.class)
                .hasMessage("missing.yaml: operation 1 (rename_constraint): table 'orders' has no constraint "
                        + "'orders_nothing_check'");
        assertThatThrownBy(() -> db.tandem().expand(parse("taken.yaml", """
                name: taken
                operations:
                  - rename_constraint:
                      table: orders
                      from: orders_customer_id_fkey
                      to: orders_status_idx
                """))).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("a constraint, index or table named 'orders_status_idx' already exists");
    }

    private static Migration parse(String file, String yaml) {
        return new MigrationParser().parse(file, yaml.getBytes(StandardCharsets.UTF_8));
    }
}
