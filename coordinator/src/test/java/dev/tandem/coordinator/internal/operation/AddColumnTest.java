package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.OnDatabase;
import org.junit.jupiter.api.TestTemplate;

@BothDatabases
class AddColumnTest {
    @TestTemplate
    void addsNotNullColumnFilledFromUpForOldAndNewVersions(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("add_column.yaml").whileExpanded((db, v) -> {
                // old version: knows nothing of display_name
                db.execute("INSERT INTO customers (email, first_name, last_name) VALUES ('old@x', 'Ada', 'Old')");
                assertThat(db.value("SELECT display_name FROM customers WHERE email = 'old@x'")).isEqualTo("Ada Old");
                // new version: writes it through its view
                try (var c = db.connect(v + ", public"); var s = c.createStatement()) {
                    s.execute("INSERT INTO customers (email, first_name, last_name, display_name) "
                            + "VALUES ('new@x', 'Bob', 'New', 'Bobby')");
                }
                assertThat(db.value("SELECT display_name FROM customers WHERE email = 'new@x'")).isEqualTo("Bobby");
                // an old-version update of an unrelated column keeps the new version's value
                db.execute("UPDATE customers SET phone = '1' WHERE email = 'new@x'");
                assertThat(db.value("SELECT display_name FROM customers WHERE email = 'new@x'")).isEqualTo("Bobby");
                // an old-version update of an input recomputes it
                db.execute("UPDATE customers SET first_name = 'Ann' WHERE email = 'old@x'");
                assertThat(db.rows(v, "SELECT display_name FROM customers WHERE email = 'old@x'")).containsExactly("Ann Old");
                // the NOT VALID check already guards new writes
                assertThatThrownBy(() -> db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO customers (email, first_name, last_name, display_name) VALUES ('e@x', 'E', 'E', '')"))
                        .hasMessageContaining("customers_display_name_check");
                db.execute("DELETE FROM customers WHERE email IN ('old@x', 'new@x')");
            }).afterContract((db, v) -> {
                assertThat(db.value("SELECT count(*) FROM customers WHERE display_name IS NULL")).isEqualTo("0");
                assertThat(db.value("SELECT display_name FROM customers WHERE id = 1")).isEqualTo("First1 Last1");
                assertThat(db.value("SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'public' "
                        + "AND table_name = 'customers' AND column_name = 'display_name'")).isEqualTo("NO");
                assertThat(db.value("SELECT convalidated FROM pg_constraint WHERE conname = 'customers_display_name_check'"))
                        .isEqualTo("t");
                assertThat(db.rows(v, "SELECT display_name FROM customers WHERE id = 2")).containsExactly("First2 Last2");
            }).run();
        });
        on.mariaDb(maria -> {
            Cycle.onMariaDbShop(maria).inline("add_display_name", "add_column: {table: customers, column: "
                    + "{name: display_name, type: varchar(120)}, up: \"CONCAT(first_name, ' ', last_name)\"}")
                    .whileExpanded((db, v) -> {
                        db.execute("INSERT INTO customers (email, first_name, last_name) VALUES ('old@x', 'Ada', 'Old')");
                        assertThat(db.value(v, "SELECT display_name FROM customers WHERE email = 'old@x'"))
                                .isEqualTo("Ada Old");
                        db.executeIn(v, "INSERT INTO customers (email, first_name, last_name, display_name)"
                                + " VALUES ('new@x', 'Bob', 'New', 'Bobby')");
                        assertThat(db.value("SELECT display_name FROM customers WHERE email = 'new@x'")).isEqualTo("Bobby");
                        // an old-version update of an unrelated column keeps the new version's value
                        db.execute("UPDATE customers SET phone = '1' WHERE email = 'new@x'");
                        assertThat(db.value(v, "SELECT display_name FROM customers WHERE email = 'new@x'")).isEqualTo("Bobby");
                        // an old-version update of an input recomputes it
                        db.execute("UPDATE customers SET first_name = 'Ann' WHERE email = 'old@x'");
                        assertThat(db.value(v, "SELECT display_name FROM customers WHERE email = 'old@x'"))
                                .isEqualTo("Ann Old");
                        db.execute("DELETE FROM customers WHERE email IN ('old@x', 'new@x')");
                    })
                    .afterContract((db, v) -> {
                        assertThat(db.value("SELECT COUNT(*) FROM customers WHERE display_name IS NULL")).isEqualTo("0");
                        assertThat(db.value("SELECT display_name FROM customers WHERE id = 1")).isEqualTo("First1 Last1");
                        assertThat(db.value(v, "SELECT display_name FROM customers WHERE id = 2")).isEqualTo("First2 Last2");
                    })
                    .run();
        });
        // the example itself is refused for '||' in up (its check would go through the table copy)
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("add_column.yaml").refused(
                "add_column.yaml: operation 1 (add_column)", "has '||'"));
    }
}
