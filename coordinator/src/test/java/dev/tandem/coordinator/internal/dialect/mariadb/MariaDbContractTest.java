package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.SimulatedCrash;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Contract and rollback stopped after each of their steps in turn and run again: in between, the version that
 * stays runs its statements without a failure. Issue 12: contract left the new version's views naming renamed
 * columns (error 1356) and its inserts without a value for the old NOT NULL column (error 1364); rollback of a
 * column with a foreign key failed on the key's index (error 1553).
 */
class MariaDbContractTest {
    private static final Migration MIGRATION = Examples.inline("reshape_items",
            "alter_column: {table: items, column: qty, type: bigint, up: qty, down: qty}",
            "rename_column: {table: items, from: note, to: memo}",
            "add_column: {table: items, column: {name: code, type: varchar(20), nullable: false}, up: \"COALESCE(note, '-')\"}",
            "add_column: {table: items, column: {name: parent_id, type: bigint, references: {table: parents, column: id}}}");

    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    @BeforeEach
    void createTables() {
        db.execute("CREATE TABLE parents (id BIGINT PRIMARY KEY)", "INSERT INTO parents VALUES (1), (2)",
                "CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(40))",
                "INSERT INTO items (qty, note) VALUES (1, 'one'), (2, NULL)");
    }

    @Test
    void theNewVersionWorksAfterEveryStepOfAContractThatStopsThere() {
        SimulatedCrash.EachStep crashes = new SimulatedCrash.EachStep("contract");
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).afterStep(crashes));
        tandem.expand(MIGRATION);
        String version = tandem.status().get(0).versionSchema();
        tandem.backfill(MIGRATION.name(), BackfillListener.NONE);
        List<String> failures = new ArrayList<>();

        List<String> steps = crashes.untilDone(() -> tandem.contract(MIGRATION.name()), step -> {
            int n = failures.size() + 10;
            failures.addAll(failures(step,
                    () -> db.executeIn(version, "INSERT INTO items (qty, memo, code, parent_id) VALUES (" + n
                            + ", 'new', 'c', 1)"),
                    () -> db.executeIn(version, "UPDATE items SET qty = qty + 1, memo = 'changed' WHERE id = 1"),
                    () -> db.rows(version, "SELECT id, qty, memo, code, parent_id FROM items")));
        });

        assertThat(steps).as("contract's steps").filteredOn(step -> step.startsWith("contract/main/")).hasSizeGreaterThan(5);
        assertThat(failures).as("failed statements of the new version").isEmpty();
        assertThat(tandem.status().get(0).phase()).isEqualTo("complete");
        assertThat(db.rows(version, "SELECT id, qty, memo, code, parent_id FROM items WHERE id <= 2"))
                .containsExactly("1|" + (1 + steps.size()) + "|changed|one|null", "2|2|null|-|null");
        assertThat(db.value("SELECT COUNT(*) FROM items WHERE memo = 'new' AND code = 'c' AND parent_id = 1"))
                .isEqualTo(String.valueOf(steps.size()));
        assertThat(db.value("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"))
                .isEqualTo("0");
    }

    @Test
    void theOldVersionWorksAfterEveryStepOfARollbackThatStopsThere() {
        List<String> before = Catalog.dump(db);
        SimulatedCrash.EachStep crashes = new SimulatedCrash.EachStep("rollback");
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).afterStep(crashes));
        tandem.expand(MIGRATION);
        tandem.backfill(MIGRATION.name(), BackfillListener.NONE);
        List<String> failures = new ArrayList<>();

        List<String> steps = crashes.untilDone(() -> tandem.rollback(MIGRATION.name()), step -> failures.addAll(
                failures(step, () -> db.execute("INSERT INTO items (qty, note) VALUES (7, 'old')"),
                        () -> db.execute("UPDATE items SET qty = qty + 1, note = 'changed' WHERE id = 1"),
                        () -> db.rows("SELECT id, qty, note FROM items"))));

        assertThat(steps).as("rollback's steps").hasSizeGreaterThan(3);
        assertThat(failures).as("failed statements of the old version").isEmpty();
        assertThat(tandem.status().get(0).phase()).isEqualTo("rolled_back");
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
        assertThat(db.rows("SELECT id, qty, note FROM items WHERE id <= 2"))
                .containsExactly("1|" + (1 + steps.size()) + "|changed", "2|2|null");
    }

    /** The shadow's foreign key goes before the shadow column at rollback, as a new column's does (error 1553). */
    @Test
    void aColumnThatGetsAForeignKeyRollsBackToTheSameCatalog() throws Exception {
        Cycle.on(db, db::tandem, Catalog::dump)
                .setup("ALTER TABLE items ADD COLUMN owner BIGINT", "UPDATE items SET owner = id")
                .inline("owned_items", "alter_column: {table: items, column: owner, references: {table: parents,"
                        + " column: id}}")
                .afterContract((db, version) -> assertThat(db.value("SELECT COUNT(*) FROM"
                        + " information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
                        + " AND TABLE_NAME = 'items'")).isEqualTo("1"))
                .run();
    }

    /**
     * A run killed inside a step, between its rename and the view's re-creation, leaves a view that names a column
     * that is gone (it cannot be locked then) or a table already renamed: the next run finishes both.
     */
    @Test
    void aContractKilledInsideARenameStepIsFinishedByTheNextRun() {
        Migration renames = Examples.inline("rename_things", "rename_column: {table: items, from: note, to: memo}",
                "rename_table: {from: parents, to: owners}");
        Tandem tandem = db.tandem();
        tandem.expand(renames);
        String version = tandem.status().get(0).versionSchema();
        db.execute("ALTER TABLE items RENAME COLUMN note TO memo", "ALTER TABLE parents RENAME TO owners");

        tandem.contract(renames.name());

        assertThat(db.rows(version, "SELECT memo FROM items ORDER BY id")).containsExactly("one", "null");
        assertThat(db.rows(version, "SELECT id FROM owners")).containsExactly("1", "2");
    }

    /**
     * As above with a version stacked on the one contracting: its view of the table, which names the renamed column
     * too, is made again by the next run as well.
     */
    @Test
    void aContractKilledInsideARenameStepWithAStackedVersionIsFinishedByTheNextRun() {
        Migration rename = Examples.inline("rename_note", "rename_column: {table: items, from: note, to: memo}");
        Migration tag = Examples.inline("add_tag",
                "add_column: {table: items, column: {name: tag, type: varchar(20), nullable: true}}");
        Tandem tandem = db.tandem();
        tandem.expand(rename);
        tandem.expand(tag);
        String renamed = tandem.status().get(0).versionSchema();
        String tagged = tandem.status().get(1).versionSchema();
        db.execute("ALTER TABLE items RENAME COLUMN note TO memo");

        tandem.contract(rename.name());

        assertThat(db.rows(renamed, "SELECT memo FROM items ORDER BY id")).containsExactly("one", "null");
        db.executeIn(tagged, "UPDATE items SET tag = 'x' WHERE id = 1");
        assertThat(db.rows(tagged, "SELECT memo, tag FROM items ORDER BY id")).containsExactly("one|x", "null|null");
    }

    /** Each statement's failure, named with the step after which it ran. */
    private static List<String> failures(String step, Runnable... statements) {
        List<String> failures = new ArrayList<>();
        for (Runnable statement : statements) {
            try {
                statement.run();
            } catch (IllegalStateException e) {
                failures.add("after " + step + ": " + e.getMessage());
            }
        }
        return failures;
    }
}
