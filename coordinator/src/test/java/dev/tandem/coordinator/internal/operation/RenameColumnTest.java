package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.OnDatabase;
import org.junit.jupiter.api.TestTemplate;

@BothDatabases
class RenameColumnTest {
    @TestTemplate
    void eachVersionUsesItsOwnNameForTheSameColumn(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("rename_column.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                assertThat(db.rows(newVersion, "SELECT customer_note FROM orders WHERE id = 2")).containsExactly("note 2");
                db.execute("INSERT INTO orders (customer_id, note) VALUES (1, 'from old')");
                assertThat(db.rows(newVersion, "SELECT count(*) FROM orders WHERE customer_note = 'from old'"))
                        .containsExactly("1");
                db.executeIn(newVersion, "INSERT INTO orders (customer_id, customer_note) VALUES (1, 'from new')");
                assertThat(db.value("SELECT count(*) FROM orders WHERE note = 'from new'")).isEqualTo("1");
                db.executeIn(newVersion, "UPDATE orders SET customer_note = 'changed by new' WHERE customer_note = 'from old'");
                db.execute("UPDATE orders SET note = 'changed by old' WHERE note = 'from new'");
                assertThat(db.rows(newVersion, "SELECT customer_note FROM orders WHERE id > 2500 ORDER BY id"))
                        .containsExactly("changed by new", "changed by old");
                assertThatThrownBy(() -> db.rows(newVersion, "SELECT note FROM orders"))
                        .hasMessageContaining("column \"note\" does not exist");
                db.execute("DELETE FROM orders WHERE id > 2500");
            }).afterContract((db, v) -> {
                assertThat(db.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                        + "AND table_name = 'orders' AND column_name LIKE '%note'")).containsExactly("customer_note");
                assertThat(db.value("SELECT customer_note FROM orders WHERE id = 4")).isEqualTo("note 4");
                assertThat(db.rows(v, "SELECT count(customer_note) FROM orders")).containsExactly("1250");
            }).run();
        });
        on.mariaDb(maria -> {
            Cycle.onMariaDbShop(maria).inline("rename_note", "rename_column: {table: orders, from: note, to: customer_note}")
                    .whileExpanded((db, v) -> {
                        db.execute("UPDATE orders SET note = 'from old' WHERE id = 1");
                        assertThat(db.value(v, "SELECT customer_note FROM orders WHERE id = 1")).isEqualTo("from old");
                        db.executeIn(v, "UPDATE orders SET customer_note = 'from new' WHERE id = 2");
                        assertThat(db.value("SELECT note FROM orders WHERE id = 2")).isEqualTo("from new");
                        db.executeIn(v, "INSERT INTO orders (customer_id, customer_note) VALUES (1, 'inserted new')");
                        assertThat(db.value("SELECT COUNT(*) FROM orders WHERE note = 'inserted new'")).isEqualTo("1");
                        db.execute("DELETE FROM orders WHERE note = 'inserted new'");
                    })
                    .afterContract((db, v) -> {
                        assertThat(db.value("SELECT customer_note FROM orders WHERE id = 2")).isEqualTo("from new");
                        assertThat(db.value(v, "SELECT customer_note FROM orders WHERE id = 1")).isEqualTo("from old");
                    })
                    .run();
        });
    }
}
