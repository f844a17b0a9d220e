package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
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
class RawSqlTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void runsExpandSqlUndoneByRollbackAndContractSqlAtContract(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("sql.yaml").whileExpanded((db, v) -> {
                String total = "SELECT order_total(o.quantity, p.price) FROM orders o JOIN products p ON p.id = o.product_id "
                        + "WHERE o.id = 3";
                assertThat(db.value(total)).isEqualTo("20.00");
                assertThat(db.rows(v + ", public", total)).containsExactly("20.00");
                assertThat(db.value("SELECT obj_description('order_total(integer, numeric)'::regprocedure)")).isEqualTo("null");
            }).afterContract((db, v) -> {
                assertThat(db.value("SELECT obj_description('order_total(integer, numeric)'::regprocedure)"))
                        .isEqualTo("Line total of an order");
                assertThat(db.rows(v + ", public", "SELECT order_total(2, 1.5)")).containsExactly("3.0");
            }).run();
        });
        on.mariaDb(maria -> {
            String function = "SELECT COUNT(*) FROM information_schema.ROUTINES"
                    + " WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'order_total'";
            Cycle.onMariaDbExampleShop(maria).inline("order_total_function",
                            "{sql: {phase: expand, sql: \"CREATE FUNCTION order_total(quantity INT, price DECIMAL(10, 2))"
                                    + " RETURNS DECIMAL(12, 2) DETERMINISTIC RETURN quantity * price\","
                                    + " rollback: \"DROP FUNCTION order_total\"}}",
                            "{sql: {phase: contract, sql: \"ALTER FUNCTION order_total COMMENT 'Line total of an order'\"}}")
                    .whileExpanded((db, v) -> {
                        assertThat(db.value(function)).isEqualTo("1");
                        assertThat(db.value("SELECT order_total(3, 1.50)")).isEqualTo("4.50");
                    })
                    .afterContract((db, v) -> assertThat(db.value("SELECT ROUTINE_COMMENT FROM information_schema.ROUTINES"
                            + " WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'order_total'"))
                            .isEqualTo("Line total of an order"))
                    .run();
        });
    }

    @Test
    void failingExpandSqlNamesTheOperationAndChangesNothing() {
        db.execute(Examples.shop());
        List<String> before = Catalog.dump(db);
        Migration migration = parse("broken.yaml", """
                name: broken
                operations:
                  - sql:
                      phase: expand
                      sql: CREATE TABLE notes (id bigint PRIMARY KEY)
                      rollback: DROP TABLE notes
                  - sql:
                      phase: expand
                      sql: ALTER TABLE no_such_table ADD COLUMN x int
                      rollback: SELECT 1
                """);
        assertThatThrownBy(() -> db.tandem().expand(migration))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("broken.yaml: operation 2 (sql)")
                .hasMessageContaining("(in: ALTER TABLE no_such_table ADD COLUMN x int)");
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
        assertThat(db.tandem().status()).isEmpty();
    }

    @Test
    void runsInTheMigrationsSchema() {
        db.execute("CREATE SCHEMA store", "CREATE TABLE store.items (id bigint PRIMARY KEY, title text)");
        Tandem tandem = db.tandem(TandemConfig.builder().schema("store").build());
        Migration migration = parse("notes.yaml", """
                name: notes
                operations:
                  - sql:
                      phase: expand
                      sql: CREATE TABLE notes (item_id bigint REFERENCES items (id))
                      rollback: DROP TABLE notes
                  - sql:
                      phase: contract
                      sql: INSERT INTO items VALUES (1, 'added at contract')
                """);
        tandem.expand(migration);
        assertThat(db.value("SELECT to_regclass('store.notes') IS NOT NULL")).isEqualTo("t");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo("t");
        tandem.rollback(migration.name());
        assertThat(db.value("SELECT to_regclass('store.notes') IS NULL")).isEqualTo("t");
        tandem.expand(migration);
        tandem.backfill(migration.name(), BackfillListener.NONE);
        tandem.contract(migration.name());
        assertThat(db.value("SELECT title FROM store.items")).isEqualTo("added at contract");
    }

    @Test
    void refusesRollbackSqlForTheContractPhase() {
        assertThatThrownBy(() -> parse("bad.yaml", """
                name: bad
                operations:
                  - sql:
                      phase: contract
                      sql: DROP TABLE audit_log
                      rollback: CREATE TABLE audit_log (id bigint)
                """)).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("a contract-phase sql operation cannot be rolled back: remove 'rollback'");
    }

    private static Migration parse(String file, String yaml) {
        return new MigrationParser().parse(file, yaml.getBytes(StandardCharsets.UTF_8));
    }
}
