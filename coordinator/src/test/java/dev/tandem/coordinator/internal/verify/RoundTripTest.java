package dev.tandem.coordinator.internal.verify;


import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.coordinator.verify.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoundTripTest {
    private static final List<QueryFile> OLD_APP = List.of(new QueryFile("old/orders.sql",
            "SELECT id, note FROM orders WHERE customer_id = 1;\n"
                    + "INSERT INTO orders (customer_id, note) VALUES (1, 'ring twice');\n"
                    + "SELECT sku, legacy_code FROM products;"));

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    private RoundTrip onShop() {
        RoundTrip roundTrip = new RoundTrip(db.pool());
        roundTrip.setup("shop.sql", String.join(";\n", Examples.shop()));
        return roundTrip;
    }

    @Test
    void aRenameThroughTheOperationKeepsTheOldVersionWorking() {
        List<QueryFile> newApp = List.of(new QueryFile("new/orders.sql",
                "SELECT id, customer_note FROM orders;\nUPDATE orders SET customer_note = 'x' WHERE id = 1"));
        assertThat(onShop().verify(Examples.migration("rename_column.yaml"), OLD_APP, newApp)).isEmpty();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name = 'orders' AND column_name = 'customer_note'"))
                .as("the migration is left contracted").isEqualTo("1");
    }

    /** Tandem's version views read the catalog from before expand, so expand itself fails on the missing name. */
    @Test
    void aRenameAsRawSqlInExpandIsCaught() {
        List<Finding> findings = onShop().verify(Examples.inline("raw_rename",
                "sql: {phase: expand, sql: 'ALTER TABLE orders RENAME COLUMN note TO customer_note',"
                        + " rollback: 'ALTER TABLE orders RENAME COLUMN customer_note TO note'}"), OLD_APP, List.of());
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("TDM302");
            assertThat(finding.message()).contains("expand failed").contains("column \"note\" does not exist");
            assertThat(finding.operation()).isEqualTo("raw_rename operation 1 (sql)");
        });
    }

    @Test
    void aDroppedColumnStillReadByTheOldVersionIsCaught() {
        List<Finding> findings = onShop().verify(Examples.inline("raw_drop",
                "sql: {phase: expand, sql: 'ALTER TABLE products DROP COLUMN legacy_code',"
                        + " rollback: 'ALTER TABLE products ADD COLUMN legacy_code text'}"), OLD_APP, List.of());
        assertThat(findings).extracting(Finding::ruleId).containsExactly("TDM302");
        assertThat(findings.get(0).message()).contains("legacy_code");
    }

    @Test
    void aTypeChangeInExpandThatBreaksOldWritesNamesTheQueryAndTheOperation() {
        List<Finding> findings = onShop().verify(Examples.inline("raw_note_type",
                "sql: {phase: expand, sql: 'ALTER TABLE orders ALTER COLUMN note TYPE integer USING length(note)',"
                        + " rollback: 'ALTER TABLE orders ALTER COLUMN note TYPE text'}"), OLD_APP, List.of());
        assertThat(findings).extracting(Finding::ruleId).contains("TDM303");
        Finding broken = findings.stream().filter(f -> f.ruleId().equals("TDM303")).findFirst().orElseThrow();
        assertThat(broken.file()).isEqualTo("old/orders.sql");
        assertThat(broken.line()).isEqualTo(2);
        assertThat(broken.operation()).isEqualTo("raw_note_type operation 1 (sql)");
        assertThat(broken.message()).contains("raw_note_type.yaml").contains("integer");
    }

    /** As pg_stat_statements records the old version: constants replaced by $n, one row per distinct statement. */
    private static final Capture OLD_CAPTURE = Capture.read("old.csv", "queryid,calls,query\n"
            + "101,40,\"SELECT id, note FROM orders WHERE customer_id = $1\"\n"
            + "102,7,\"SELECT id FROM orders WHERE note LIKE $1\"\n"
            + "103,3,\"INSERT INTO orders (customer_id, note) VALUES ($1, $2)\"\n"
            + "104,9,\"SELECT sku, legacy_code FROM products WHERE id = ANY($1)\"\n"
            + "105,1,SET statement_timeout = $1\n");

    @Test
    void capturedStatementsBrokenByExpandNameTheirQueryidAndTheOperation() {
        List<Finding> findings = onShop().verify(Examples.inline("raw_note_type",
                "sql: {phase: expand, sql: 'ALTER TABLE orders ALTER COLUMN note TYPE integer USING length(note)',"
                        + " rollback: 'ALTER TABLE orders ALTER COLUMN note TYPE text'}"),
                new AppStatements(List.of(), List.of(OLD_CAPTURE)), AppStatements.NONE);
        // the INSERT still prepares: its $2 is now inferred as integer. Preparing checks names and types, not values.
        assertThat(findings).filteredOn(finding -> finding.ruleId().equals("TDM303")).singleElement()
                .satisfies(finding -> {
                    assertThat(finding.file()).isEqualTo("old.csv");
                    assertThat(finding.line()).isEqualTo(3);
                    assertThat(finding.message()).startsWith("queryid 102: search_path public: ERROR: operator "
                            + "does not exist: integer ~~").contains("broken by raw_note_type.yaml");
                    assertThat(finding.operation()).isEqualTo("raw_note_type operation 1 (sql)");
                });
    }

    @Test
    void aColumnDroppedInExpandUnderACapturedReaderIsCaught() {
        List<Finding> findings = onShop().verify(Examples.inline("raw_drop",
                "sql: {phase: expand, sql: 'ALTER TABLE products DROP COLUMN legacy_code',"
                        + " rollback: 'ALTER TABLE products ADD COLUMN legacy_code text'}"),
                new AppStatements(List.of(), List.of(OLD_CAPTURE)), AppStatements.NONE);
        assertThat(findings).isNotEmpty().allSatisfy(finding -> assertThat(finding.message()).contains("legacy_code"));
    }

    @Test
    void theExpandContractVersionsKeepEveryCapturedStatementPreparing() {
        RoundTrip roundTrip = onShop();
        AppStatements old = new AppStatements(List.of(), List.of(OLD_CAPTURE));
        assertThat(roundTrip.verify(Examples.migration("drop_column.yaml"), old, AppStatements.NONE)).isEmpty();
        AppStatements renamed = new AppStatements(List.of(), List.of(Capture.read("after.json",
                "[{\"queryid\": 201, \"query\": \"SELECT customer_note FROM orders WHERE id = $1\"}]")));
        assertThat(roundTrip.verify(Examples.migration("rename_column.yaml"),
                new AppStatements(List.of(), List.of(Capture.read("before.csv",
                        "queryid,query\n301,SELECT note FROM orders WHERE id = $1\n"))), renamed)).isEmpty();
    }

    @Test
    void aCapturedStatementThatFailsBeforeTheMigrationIsBadInput() {
        assertThatThrownBy(() -> onShop().verify(Examples.migration("rename_column.yaml"),
                new AppStatements(List.of(), List.of(Capture.read("old.csv", "queryid,query\n9,SELECT nope FROM orders\n"))),
                AppStatements.NONE))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("old.csv:2: queryid 9: fails before");
    }

    @Test
    void theDropColumnOperationKeepsTheOldVersionReading() {
        assertThat(onShop().verify(Examples.migration("drop_column.yaml"), OLD_APP,
                List.of(new QueryFile("new.sql", "SELECT id, sku FROM products")))).isEmpty();
    }

    /** After an applied migration the old version is its version schema, where the renamed column has its new name. */
    @Test
    void oldQueriesRunAgainstTheVersionOfTheLastAppliedMigration() {
        RoundTrip roundTrip = onShop();
        roundTrip.apply(Examples.migration("rename_column.yaml"));
        List<QueryFile> old = List.of(new QueryFile("old.sql", "SELECT customer_note FROM orders"));
        assertThat(roundTrip.verify(Examples.migration("drop_column.yaml"), old, old)).isEmpty();
    }

    @Test
    void aRollbackThatLeavesSomethingBehindIsCaught() {
        List<Finding> findings = onShop().verify(Examples.inline("leaky_rollback",
                "sql: {phase: expand, sql: 'ALTER TABLE orders ADD COLUMN gift boolean', rollback: 'SELECT 1'}"),
                List.of(), List.of());
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("TDM301");
            assertThat(finding.message()).contains("gift");
        });
    }

    @Test
    void contractReachesTheSchemaEachExampleDeclares() {
        for (String example : List.of("add_column.yaml", "price_in_cents.yaml", "alter_column_set_not_null.yaml", "alter_column_unique.yaml",
                "rename_table.yaml", "create_table.yaml", "rename_constraint.yaml")) {
            try (TestDatabase fresh = TestDatabase.create()) {
                RoundTrip roundTrip = new RoundTrip(fresh.pool());
                roundTrip.setup("shop.sql", String.join(";\n", Examples.shop()));
                assertThat(roundTrip.verify(Examples.migration(example), List.of(), List.of())).as(example).isEmpty();
            }
        }
    }

    /** The add_column operation declares a nullable 'gift'; a contract sql step renames it and makes another NOT NULL. */
    @Test
    void aContractThatLeavesSomethingOtherThanDeclaredIsCaught() {
        List<Finding> findings = onShop().verify(Examples.inline("gift_then_renamed",
                "add_column: {table: orders, column: {name: gift, type: boolean}}",
                "add_column: {table: orders, column: {name: wrapped, type: boolean, default: 'false'}}",
                "sql: {phase: contract, sql: 'ALTER TABLE orders RENAME COLUMN gift TO present;"
                        + " ALTER TABLE orders ALTER COLUMN wrapped SET NOT NULL'}"), List.of(), List.of());
        assertThat(findings).extracting(Finding::ruleId).containsOnly("TDM305");
        assertThat(findings).extracting(Finding::message).hasSize(3)
                .anySatisfy(message -> assertThat(message).startsWith("table \"orders\", column \"gift\": "
                        + "declared by the migration, missing after contract"))
                .anySatisfy(message -> assertThat(message).startsWith("table \"orders\", column \"present\": "
                        + "present after contract, not declared"))
                .anySatisfy(message -> assertThat(message).startsWith("table \"orders\", column \"wrapped\": "
                        + "declared nullable, after contract NOT NULL"));
        assertThat(findings).extracting(Finding::operation).contains("gift_then_renamed operation 1 (add_column)");
    }

    @Test
    void whatRawSqlAddsIsNotDeclared() {
        List<Finding> findings = onShop().verify(Examples.inline("raw_gift",
                "sql: {phase: expand, sql: 'ALTER TABLE orders ADD COLUMN gift boolean',"
                        + " rollback: 'ALTER TABLE orders DROP COLUMN gift'}"), List.of(), List.of());
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("TDM305");
            assertThat(finding.message()).startsWith("table \"orders\", column \"gift\": present after contract, "
                    + "not declared");
            assertThat(finding.operation()).isEqualTo("raw_gift operation 1 (sql)");
        });
    }

    @Test
    void aFailingPhaseIsAFinding() {
        List<Finding> findings = onShop().verify(Examples.inline("bad_contract",
                "sql: {phase: contract, sql: 'ALTER TABLE no_such_table DROP COLUMN x'}"), List.of(), List.of());
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("TDM302");
            assertThat(finding.message()).contains("contract failed");
        });
    }

    @Test
    void oldQueriesThatFailBeforeTheMigrationAreBadInput() {
        assertThatThrownBy(() -> onShop().verify(Examples.migration("rename_column.yaml"),
                List.of(new QueryFile("old.sql", "SELECT nope FROM orders")), List.of()))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("old.sql:1");
    }
}
