package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.RegisterExtension;

@BothDatabases
class DropConstraintTest {
    private static final String DROPPED = "SELECT count(*) FROM pg_constraint "
            + "WHERE conname IN ('orders_product_id_fkey', 'customers_email_key')";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void keepsGuardingBothVersionsUntilContractDropsIt(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("drop_constraint.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                assertThat(db.value(DROPPED)).isEqualTo("2");
                assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                        "INSERT INTO orders (customer_id, product_id) VALUES (1, 999999)"))
                        .hasMessageContaining("orders_product_id_fkey");
                assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                        "INSERT INTO customers (email, first_name, last_name) VALUES ('customer1@example.com', 'A', 'B')"))
                        .hasMessageContaining("customers_email_key");
                db.execute("INSERT INTO customers (email, first_name, last_name) VALUES ('old@x', 'Old', 'Version')");
                assertThat(db.rows(newVersion, "SELECT first_name FROM customers WHERE email = 'old@x'"))
                        .containsExactly("Old");
                db.execute("DELETE FROM customers WHERE email = 'old@x'");
            }).afterContract((db, v) -> {
                assertThat(db.value(DROPPED)).isEqualTo("0");
                assertThat(db.value("SELECT to_regclass('public.customers_email_key') IS NULL")).isEqualTo("t");
                db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO orders (customer_id, product_id) VALUES (1, 999999)",
                        "INSERT INTO customers (email, first_name, last_name) VALUES ('customer1@example.com', 'A', 'B')");
                assertThat(db.value("SELECT count(*) FROM customers WHERE email = 'customer1@example.com'")).isEqualTo("2");
            }).run();
        });
        on.mariaDb(maria -> {
            String constraints = "SELECT COUNT(*) FROM"
                    + " information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
                    + " AND CONSTRAINT_NAME IN ('customers_email_key', 'orders_product_id_fkey')";
            Cycle.onMariaDbExampleShop(maria).migration(Examples.migration("drop_constraint.yaml"))
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
                        assertThat(db.value("SELECT COUNT(*) FROM information_schema.STATISTICS"
                                + " WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME IN"
                                + " ('orders_product_id_fkey', 'customers_email_key')")).isEqualTo("0");
                        db.executeIn(v, "INSERT INTO orders (customer_id, product_id) VALUES (1, 999)");
                        db.executeIn(v, "INSERT INTO customers (email, first_name, last_name)"
                                + " VALUES ('customer1@example.com', 'a', 'b')");
                    })
                    .run();
        });
    }

    @Test
    void aKeyOthersDependOnFailsContractWhichRollbackThenUndoes() {
        db.execute(Examples.shop());
        List<String> before = Catalog.dump(db);
        Migration migration = new MigrationParser().parse("drop_customer_key.yaml", """
                name: drop_customer_key
                operations:
                  - drop_constraint:
                      table: customers
                      name: customers_pkey
                """.getBytes(StandardCharsets.UTF_8));
        Tandem tandem = db.tandem();
        tandem.expand(migration);
        tandem.backfill(migration.name(), BackfillListener.NONE);
        assertThatThrownBy(() -> tandem.contract(migration.name()))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("drop_customer_key.yaml: operation 1 (drop_constraint): step contract/main failed")
                .hasMessageContaining("other objects depend on it");
        tandem.rollback(migration.name());
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
    }
}
