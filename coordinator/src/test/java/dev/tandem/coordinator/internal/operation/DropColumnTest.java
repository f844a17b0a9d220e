package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.RegisterExtension;

@BothDatabases
class DropColumnTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void hidesTheColumnFromTheNewVersionAndFillsItForTheOld(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("drop_column.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                assertThatThrownBy(() -> db.rows(newVersion, "SELECT legacy_code FROM products"))
                        .hasMessageContaining("column \"legacy_code\" does not exist");
                assertThat(db.rows(newVersion, "SELECT * FROM products WHERE id = 1")).containsExactly("1|SKU-1|Product 1|1.25");
                db.executeIn(newVersion, "INSERT INTO products (sku, title, price) VALUES ('NEW', 'New', 1)");
                assertThat(db.value("SELECT legacy_code = 'L' || id FROM products WHERE sku = 'NEW'")).isEqualTo("t");
                // a new-version update keeps what the old version stored
                db.execute("UPDATE products SET legacy_code = 'custom' WHERE id = 2");
                db.executeIn(newVersion, "UPDATE products SET title = 'Renamed' WHERE id = 2");
                assertThat(db.value("SELECT legacy_code FROM products WHERE id = 2")).isEqualTo("custom");
                db.execute("INSERT INTO products (sku, title, price, legacy_code) VALUES ('OLD', 'Old', 1, 'X9')");
                assertThat(db.value("SELECT legacy_code FROM products WHERE sku = 'OLD'")).isEqualTo("X9");
                db.execute("DELETE FROM products WHERE sku IN ('NEW', 'OLD')", "UPDATE products SET legacy_code = 'L2' WHERE id = 2");
            }).afterContract((db, v) -> {
                assertThat(db.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                        + "AND table_name = 'products' ORDER BY ordinal_position"))
                        .containsExactly("id", "sku", "title", "price");
                assertThat(db.rows(v, "SELECT count(*) FROM products")).containsExactly("50");
                db.execute("INSERT INTO products (sku, title, price) VALUES ('AFTER', 'After', 1)");
            }).run();
        });
        on.mariaDb(maria -> {
            Cycle.onMariaDbShop(maria).inline("drop_legacy_code",
                            "drop_column: {table: orders, column: legacy_code, down: \"CONCAT('N', customer_id)\"}")
                    .whileExpanded((db, v) -> {
                        assertThat(db.rows(v, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                                + v + "' AND COLUMN_NAME = 'legacy_code'")).containsExactly("0");
                        db.executeIn(v, "INSERT INTO orders (customer_id, quantity) VALUES (7, 1)");
                        assertThat(db.value("SELECT legacy_code FROM orders WHERE id = (SELECT MAX(id) FROM orders)"))
                                .isEqualTo("N7");
                        db.execute("INSERT INTO orders (customer_id, legacy_code) VALUES (8, 'mine')");
                        assertThat(db.value("SELECT legacy_code FROM orders WHERE id = (SELECT MAX(id) FROM orders)"))
                                .isEqualTo("mine");
                        db.execute("DELETE FROM orders WHERE id > 2500");
                    })
                    .afterContract((db, v) -> assertThat(db.value("SELECT COUNT(*) FROM information_schema.COLUMNS"
                            + " WHERE TABLE_SCHEMA = '" + db.name() + "' AND COLUMN_NAME = 'legacy_code'")).isEqualTo("0"))
                    .run();
        });
        // the example itself is refused: its down reads the AUTO_INCREMENT key, which a sync trigger sees as 0
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("drop_column.yaml").refused(
                "drop_column.yaml: operation 1 (drop_column)",
                "reads column 'id', which AUTO_INCREMENT fills only after the sync trigger ran"));
    }

    /**
     * A view of the application's own that reads the column: PostgreSQL would refuse contract's drop midway, so
     * contract refuses before anything changes, naming the view; the migration can still roll back, and contracts once
     * the view is gone.
     */
    @Test
    void contractRefusesToDropAColumnAViewReadsBeforeAnythingChanges() {
        db.execute(Examples.shop());
        db.execute("CREATE VIEW product_codes AS SELECT * FROM products");
        Tandem tandem = db.tandem();
        Migration drop = Examples.migration("drop_column.yaml");
        tandem.expand(drop);
        tandem.backfill(drop.name(), BackfillListener.NONE);

        assertThatThrownBy(() -> tandem.contract(drop.name())).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("column products.legacy_code (operation 1 (drop_column)) is used by view"
                        + " public.product_codes")
                .hasMessageContaining("nothing was changed");
        assertThat(tandem.status().get(0).phase()).isEqualTo("expanded");

        db.execute("DROP VIEW product_codes");
        assertThat(tandem.contract(drop.name()).phase()).isEqualTo("complete");
    }

    @Test
    void refusesWhatTheOldVersionCouldNotWriteOrAColumnThisMigrationMade() {
        db.execute(Examples.shop());
        List<String> before = Catalog.dump(db);
        assertThatThrownBy(() -> db.tandem().expand(Examples.inline("drop_sku",
                "drop_column: {table: products, column: sku}")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("give 'down'");
        assertThatThrownBy(() -> db.tandem().expand(Examples.inline("retype_then_drop",
                "alter_column: {table: products, column: price, type: bigint, up: price::bigint, down: price}",
                "drop_column: {table: products, column: price, down: '0'}")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("operation 2 (drop_column)")
                .hasMessageContaining("already altered by this migration");
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
    }
}
