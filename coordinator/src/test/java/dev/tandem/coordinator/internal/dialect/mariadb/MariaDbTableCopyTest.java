package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.testing.Cycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The table-copy strategy on MariaDB: each change the in-place strategy refused or rewrote every row for. */
class MariaDbTableCopyTest {
    private static final String ITEMS = "CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT,"
            + " note VARCHAR(50), KEY items_note (note))";
    private static final String ROWS = "INSERT INTO items (qty, note) SELECT seq % 7, IF(seq % 3 = 0, NULL,"
            + " CONCAT('n', seq)) FROM seq_1_to_1000";

    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    @Test
    void changesTypeThroughACopyWithBothVersionsWriting() throws Exception {
        Cycle.on(db).setup(ITEMS, ROWS)
                .inline("qty_bigint", "alter_column: {table: items, column: qty, type: bigint, up: qty, down: qty}")
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO items (id, qty, note) VALUES (5001, 3, 'old')");
                    assertThat(db.value(v, "SELECT qty FROM items WHERE id = 5001")).isEqualTo("3");
                    db.executeIn(v, "INSERT INTO items (id, qty, note) VALUES (5002, 4, 'new')");
                    assertThat(db.value("SELECT qty FROM items WHERE id = 5002")).isEqualTo("4");
                    db.execute("UPDATE items SET qty = 30 WHERE id = 5002");
                    assertThat(db.value(v, "SELECT qty FROM items WHERE id = 5002")).isEqualTo("30");
                    db.executeIn(v, "UPDATE items SET note = 'new2' WHERE id = 5001");
                    assertThat(db.value("SELECT CONCAT(qty, note) FROM items WHERE id = 5001")).isEqualTo("3new2");
                    // a value only the new type holds cannot reach the old version: refused, not lost
                    assertThatThrownBy(() -> db.executeIn(v, "UPDATE items SET qty = 5000000000 WHERE id = 5001"))
                            .hasMessageContaining("qty");
                    db.executeIn(v, "DELETE FROM items WHERE id = 5001");
                    db.execute("DELETE FROM items WHERE id = 5002");
                    assertThat(db.value(v, "SELECT COUNT(*) FROM items WHERE id > 5000")).isEqualTo("0");
                    assertThat(db.value("SELECT COUNT(*) FROM items WHERE id > 5000")).isEqualTo("0");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
                            + " DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'qty'")).isEqualTo("bigint");
                    assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(qty)) FROM items")).isEqualTo("1000/3003");
                    db.executeIn(v, "UPDATE items SET qty = 5000000000 WHERE id = 1");
                    assertThat(db.value("SELECT qty FROM items WHERE id = 1")).isEqualTo("5000000000");
                    assertThat(db.value("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA ="
                            + " DATABASE() AND TABLE_NAME = 'items' AND INDEX_NAME = 'items_note'")).isEqualTo("1");
                })
                .run();
    }
}
