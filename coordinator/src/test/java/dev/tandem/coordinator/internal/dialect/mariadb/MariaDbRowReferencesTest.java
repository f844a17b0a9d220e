package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.RowReferences;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How {@code up} and {@code down} refer to the row being written on MariaDB (docs/migrations.md), what is refused
 * (docs/mysql.md), and that expand's probe evaluates them as the triggers do before anything changes.
 */
class MariaDbRowReferencesTest {
    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    @BeforeEach
    void createTables() {
        RowReferences.createTables(db, "BIGINT AUTO_INCREMENT");
    }

    /** A BEFORE INSERT trigger sees an AUTO_INCREMENT key as 0, and nothing after it may update the row (1442). */
    @Test
    void upOrDownReadingAnAutoIncrementKeyIsRefusedByPlanAndExpand() {
        Cycle.on(db).migration(Examples.inline("label_users", "add_column: {table: users, column:"
                        + " {name: label, type: varchar(40)}, up: \"CONCAT('old-', id)\"}")).refused(
                "label_users.yaml: operation 1 (add_column): 'up' (CONCAT('old-', id)) reads column 'id', which"
                        + " AUTO_INCREMENT fills only after the sync trigger ran");
        Cycle.on(db).migration(Examples.inline("tag_users", "alter_column: {strategy: in_place, table: users, column: name,"
                        + " type: varchar(60), up: name, down: \"CONCAT(users.name, '#', users.id)\"}")).refused(
                "tag_users.yaml: operation 1 (alter_column): 'down' (CONCAT(users.name, '#', users.id)) reads column"
                        + " 'id'");
    }

    /** Correlated on the AUTO_INCREMENT key (users.id) it would be refused, as above. */
    @Test
    void qualifiedNamesAndCorrelatedSubqueriesReadTheRowBeingWritten() {
        RowReferences.qualifiedNamesAndCorrelatedSubqueriesReadTheRowBeingWritten(db, db.tandem());
    }

    /**
     * Both passed the old probe (a SELECT of the expression over the table) and would have failed every write of one
     * version: a value the column cannot store, and a bare name inside a subquery that only the row has (the trigger
     * has no outer row to find it in); and a down whose value the old column cannot hold. Expand now fails among its
     * first steps, the probes, before any view or trigger exists (then its undo finds nothing to remove).
     */
    @Test
    void anExpressionTheTriggerCannotRunFailsExpandBeforeAnythingChanges() {
        List<String> before = Catalog.dump(db);
        List<String> changedBy = new ArrayList<>();
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).afterStep(step -> {
            if (step.startsWith("expand/") && !Catalog.dump(db).equals(before)) {
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
                new Case("alter_column: {strategy: in_place, table: users, column: name, type: varchar(60), up: name,"
                        + " down: \"CONCAT(IFNULL(name, ''), REPEAT('x', 41))\"}", "Data too long"))) {
            assertThatThrownBy(() -> tandem.expand(Examples.inline("bad", bad.operation())))
                    .as(bad.operation()).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageStartingWith("bad.yaml: operation 1 (")
                    .hasMessageContaining(bad.message());
            assertThat(changedBy).as(bad.operation()).isEmpty();
            assertThat(Catalog.dump(db)).as(bad.operation()).containsExactlyElementsOf(before);
        }
        assertThat(tandem.status()).isEmpty();
    }
}
