package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.PlannedStatement;
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
class DropIndexTest {
    private static final String STATUS_INDEX = "SELECT count(*) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
            + "WHERE c.relname = 'orders_status_idx' AND x.indisvalid";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void keepsTheIndexUntilContractDropsItConcurrently(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("drop_index.yaml").whileExpanded((db, v) -> {
                assertThat(db.value(STATUS_INDEX)).isEqualTo("1");
                db.execute("INSERT INTO orders (customer_id, status) VALUES (1, 'held')");
                db.execute("SET search_path TO " + v + ", public",
                        "UPDATE orders SET status = 'released' WHERE status = 'held'");
                assertThat(db.value("SELECT count(*) FROM orders WHERE status = 'released'")).isEqualTo("1");
                db.execute("DELETE FROM orders WHERE status = 'released'");
            }).afterContract((db, v) -> {
                assertThat(db.value(STATUS_INDEX)).isEqualTo("0");
                assertThat(db.value("SELECT to_regclass('public.orders_status_idx') IS NULL")).isEqualTo("t");
                assertThat(db.rows(v + ", public", "SELECT count(*) FROM orders WHERE status = 'shipped'"))
                        .containsExactly("625");
            }).run();
        });
        on.mariaDb(maria -> {
            String index = "SELECT COUNT(*) FROM information_schema.STATISTICS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'orders_status_idx'";
            Cycle.onMariaDbExampleShop(maria).migration(Examples.migration("drop_index.yaml"))
                    .whileExpanded((db, v) -> {
                        assertThat(db.value(index)).as("the old version may still use it").isEqualTo("1");
                        db.executeIn(v, "UPDATE orders SET status = 'shipped' WHERE id = 1");
                        assertThat(db.value("SELECT status FROM orders WHERE id = 1")).isEqualTo("shipped");
                        db.execute("UPDATE orders SET status = 'new' WHERE id = 1");
                    })
                    .afterContract((db, v) -> assertThat(db.value(index)).isEqualTo("0"))
                    .run();
        });
    }

    @Test
    void dropsConcurrentlyAfterTheContractTransaction() {
        db.execute(Examples.shop());
        var plan = db.tandem().plan(Examples.migration("drop_index.yaml"));
        assertThat(plan.expand().all()).flatMap(PlannedStatement::sql).noneMatch(sql -> sql.contains("orders_status_idx"));
        assertThat(plan.contract().after()).singleElement().satisfies(action -> {
            assertThat(action.transactional()).isFalse();
            assertThat(action.sql()).containsExactly("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"orders_status_idx\"");
        });
    }

    @Test
    void refusesAnIndexThatBelongsToAConstraint() {
        db.execute(Examples.shop());
        var migration = new MigrationParser().parse("drop_key_index.yaml", """
                name: drop_key_index
                operations:
                  - drop_index:
                      name: customers_email_key
                """.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> db.tandem().expand(migration))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessage("drop_key_index.yaml: operation 1 (drop_index): index 'customers_email_key' belongs to "
                        + "constraint 'customers_email_key' of table 'customers': drop the constraint with drop_constraint");
    }
}
