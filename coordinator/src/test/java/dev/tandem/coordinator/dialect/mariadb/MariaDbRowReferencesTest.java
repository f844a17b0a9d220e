package dev.tandem.coordinator.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.backfill.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@code up} and {@code down} refer to the row being written on MariaDB (docs/migrations.md), what is refused
 * (docs/mysql.md), and that expand's probe evaluates them as the triggers do before anything changes.
 */
class MariaDbRowReferencesTest {
    private MariaDbTestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = MariaDbTestDatabase.create();
        db.execute("CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, code VARCHAR(10), name VARCHAR(40))",
                "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_code VARCHAR(10), total INT)",
                "INSERT INTO users (code, name) VALUES ('a', 'ann')",
                "INSERT INTO orders (user_code, total) VALUES ('a', 10), ('a', 20), ('b', 7)");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    /** A BEFORE INSERT trigger sees an AUTO_INCREMENT key as 0, and nothing after it may update the row (1442). */
    @Test
    void upOrDownReadingAnAutoIncrementKeyIsRefusedByPlanAndExpand() {
        MariaDbRefused.byPlanAndExpand(db, Examples.inline("label_users", "add_column: {table: users, column:"
                        + " {name: label, type: varchar(40)}, up: \"CONCAT('old-', id)\"}"),
                "label_users.yaml: operation 1 (add_column): 'up' (CONCAT('old-', id)) reads column 'id', which"
                        + " AUTO_INCREMENT fills only after the sync trigger ran");
        MariaDbRefused.byPlanAndExpand(db, Examples.inline("tag_users", "alter_column: {table: users, column: name,"
                        + " type: varchar(60), up: name, down: \"CONCAT(users.name, '#', users.id)\"}"),
                "tag_users.yaml: operation 1 (alter_column): 'down' (CONCAT(users.name, '#', users.id)) reads column"
                        + " 'id'");
    }

    /** Correlated on the AUTO_INCREMENT key (users.id) they would be refused, as above. */
    @Test
    void qualifiedNamesAndCorrelatedSubqueriesReadTheRowBeingWritten() {
        Migration migration = Examples.inline("user_totals",
                // o.id is another table's key: not refused; a bare id inside the subquery is orders.id, as in SQL
                "add_column: {table: users, column: {name: spent, type: int}, up: \"(SELECT COALESCE(SUM(o.total), 0)"
                        + " FROM orders o WHERE o.user_code = users.code AND o.id > 0 AND id > 0)\"}",
                "alter_column: {table: users, column: name, type: varchar(60), up: users.name, down: \"CASE WHEN"
                        + " EXISTS (SELECT 1 FROM orders o WHERE o.user_code = users.code) THEN CONCAT(users.name, '*')"
                        + " ELSE name END\"}");
        Tandem tandem = db.tandem();
        tandem.expand(migration);
        String v = tandem.status().get(0).versionSchema();

        db.execute("INSERT INTO users (code, name) VALUES ('b', 'bob')");
        db.executeIn(v, "INSERT INTO users (code, name, spent) VALUES ('c', 'cy', 0)",
                "UPDATE users SET name = 'bo' WHERE code = 'b'");
        tandem.backfill(migration.name(), BackfillListener.NONE);

        assertThat(db.rows(v, "SELECT CONCAT(code, ' ', name, ' ', spent) FROM users ORDER BY id"))
                .containsExactly("a ann 30", "b bo 7", "c cy 0");
        assertThat(db.rows("SELECT CONCAT(code, ' ', name) FROM users ORDER BY id"))
                .containsExactly("a ann", "b bo*", "c cy");
    }

    /**
     * Both passed the old probe (a SELECT of the expression over the table) and would have failed every write of one
     * version: a value the column cannot store, and a bare name inside a subquery that only the row has (the trigger
     * has no outer row to find it in); and a down whose value the old column cannot hold. Expand now fails among its
     * first steps, the probes, before any view or trigger exists (then its undo finds nothing to remove).
     */
    @Test
    void anExpressionTheTriggerCannotRunFailsExpandBeforeAnythingChanges() {
        List<String> before = MariaDbCatalogDump.of(db);
        List<String> changedBy = new ArrayList<>();
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).afterStep(step -> {
            if (step.startsWith("expand/") && !MariaDbCatalogDump.of(db).equals(before)) {
                changedBy.add(step);
            }
        }));
        record Case(String operation, String message) {
        }
        for (Case bad : List.of(
                new Case("add_column: {table: users, column: {name: score, type: int}, up: \"'n/a'\"}",
                        "Incorrect integer value: 'n/a'"),
                new Case("add_column: {table: users, column: {name: spent, type: int}, up: \"(SELECT SUM(o.total)"
                        + " FROM orders o WHERE o.user_code = users.code AND name IS NOT NULL)\"}", "Unknown column 'name'"),
                new Case("alter_column: {table: users, column: name, type: varchar(60), up: name,"
                        + " down: \"CONCAT(IFNULL(name, ''), REPEAT('x', 41))\"}", "Data too long"))) {
            assertThatThrownBy(() -> tandem.expand(Examples.inline("bad", bad.operation())))
                    .as(bad.operation()).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageStartingWith("bad.yaml: operation 1 (")
                    .hasMessageContaining(bad.message());
            assertThat(changedBy).as(bad.operation()).isEmpty();
            assertThat(MariaDbCatalogDump.of(db)).as(bad.operation()).containsExactlyElementsOf(before);
        }
        assertThat(tandem.status()).isEmpty();
    }
}
