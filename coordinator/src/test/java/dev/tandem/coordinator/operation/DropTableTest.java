package dev.tandem.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DropTableTest {
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void keepsTheTableForTheOldVersionUntilContract() throws Exception {
        Cycle.onShop(db).migration("drop_table.yaml").whileExpanded((db, v) -> {
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
    }
}
