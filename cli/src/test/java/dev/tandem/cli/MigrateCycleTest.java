package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The life of add_column.yaml driven through the command line, as an operator would run it. */
class MigrateCycleTest {
    @TempDir
    Path dir;

    @Test
    void expandStatusBackfillContract() {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Cli cli = new Cli(db);
            Path file = Cli.example(dir, "add_column.yaml");

            Cli.Result expand = cli.run("expand", file.toString());
            assertThat(expand.exitCode()).as(expand.toString()).isZero();
            assertThat(expand.out()).startsWith("add_display_name: expanded (").contains("next: migrate backfill");

            Cli.Result status = cli.run("status");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("add_display_name: expanded (file add_column.yaml")
                    .contains("new version's schema: public_add_display_name")
                    .contains("backfill pending: customers");

            JsonNode json = cli.run("status", "--output", "json").json();
            assertThat(json.at("/schema").asText()).isEqualTo("public");
            assertThat(json.at("/migrations/0/name").asText()).isEqualTo("add_display_name");
            assertThat(json.at("/migrations/0/phase").asText()).isEqualTo("expanded");
            assertThat(json.at("/migrations/0/backfill_pending/0").asText()).isEqualTo("customers");

            Cli.Result backfill = cli.run("backfill", "--output", "json", "--batch-size", "64", "--workers", "2");
            assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
            List<JsonNode> lines = backfill.jsonLines();
            List<JsonNode> progress = lines.subList(0, lines.size() - 1);
            assertThat(progress).hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(line -> assertThat(line.at("/event").asText()).isEqualTo("progress"))
                    .allSatisfy(line -> assertThat(line.at("/table").asText()).isEqualTo("customers"));
            assertThat(progress.get(progress.size() - 1).at("/rows").asLong()).isEqualTo(200);
            assertThat(progress.get(progress.size() - 1).at("/done").asBoolean()).isTrue();
            JsonNode result = lines.get(lines.size() - 1);
            assertThat(result.at("/outcome").asText()).isEqualTo("backfilled");
            assertThat(result.at("/rows").asLong()).isEqualTo(200);

            Cli.Result verify = cli.run("backfill", "--verify");
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(verify.out()).contains("verify customers: 200 rows checked, 0 still need backfill, 0 differ");
            assertThat(cli.run("status").out()).contains("backfill customers: 200 rows", "2 of 2 key ranges done");

            Cli.Result contract = cli.run("contract");
            assertThat(contract.exitCode()).as(contract.toString()).isZero();
            assertThat(contract.out()).startsWith("add_display_name: contracted (").contains("phase complete");
            assertThat(db.value("SELECT count(*) FROM customers WHERE display_name = first_name || ' ' || last_name"))
                    .isEqualTo("200");
            assertThat(cli.run("status").out()).contains("add_display_name: complete");
        }
    }

    @Test
    void rollbackWithoutNameUndoesTheCurrentMigration() {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            List<String> before = Catalog.dump(db);
            Cli cli = new Cli(db);
            assertThat(cli.run("expand", Cli.example(dir, "add_column.yaml").toString()).exitCode()).isZero();

            Cli.Result rollback = cli.run("rollback", "--output", "json");

            assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
            assertThat(rollback.json().at("/phase").asText()).isEqualTo("rolled_back");
            assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
        }
    }

    /** The phases after expand take the file expand was given as well as the migration's name. */
    @Test
    void backfillAndContractTakeTheMigrationFile() {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Cli cli = new Cli(db);
            String file = Cli.example(dir, "add_column.yaml").toString();
            assertThat(cli.run("expand", file).exitCode()).isZero();

            Cli.Result backfill = cli.run("backfill", file);
            Cli.Result contract = cli.run("contract", file);

            assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
            assertThat(contract.exitCode()).as(contract.toString()).isZero();
            assertThat(cli.run("status").out()).contains("add_display_name: complete");
        }
    }

    @Test
    void planShowsEachStatementWithItsStageAndLockAndChangesNothing() {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            List<String> before = Catalog.dump(db);
            Cli cli = new Cli(db);
            String file = Cli.example(dir, "add_column.yaml").toString();

            Cli.Result plan = cli.run("plan", file);

            assertThat(plan.exitCode()).as(plan.toString()).isZero();
            assertThat(plan.out())
                    .contains("expand\n  in the transaction:\n    operation 1 (add_column)\n"
                            + "      lock: ACCESS EXCLUSIVE, blocks writes - ")
                    .contains("ALTER TABLE \"public\".\"customers\" ADD COLUMN \"display_name\" text;")
                    .contains("backfill\n  customers, in batches by (id)")
                    .contains("display_name = first_name || ' ' || last_name")
                    .contains("contract\n  before the transaction:")
                    .contains("lock: SHARE UPDATE EXCLUSIVE - scans the table while reads and writes continue")
                    .contains("rollback\n  in the transaction:");

            JsonNode json = cli.run("plan", file, "--output", "json").json();
            assertThat(json.at("/phases/0/phase").asText()).isEqualTo("expand");
            assertThat(json.at("/phases/0/statements/0/stage").asText()).isEqualTo("in_transaction");
            assertThat(json.at("/phases/0/statements/0/lock").asText()).isEqualTo("ACCESS EXCLUSIVE");
            assertThat(json.at("/phases/0/statements/0/blocks_writes").asBoolean()).isTrue();
            assertThat(json.at("/backfill/0/columns/0/column").asText()).isEqualTo("display_name");
            assertThat(json.at("/backfill_end").isArray()).isTrue();
            assertThat(json.at("/backfill_end")).isEmpty();

            assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
            assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tandem'")).isEqualTo("0");
        }
    }
}
