package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL and MariaDB in one fleet file, one target at a time: a failed expand stops the fleet, rollback
 * undoes it on the targets it reached and reports the others as having nothing to roll back, and expand then
 * goes through.
 */
class MigrateMixedFleetTest {
    @TempDir
    Path dir;

    private static Map<String, JsonNode> byTarget(Cli.Result result) {
        Map<String, JsonNode> targets = new HashMap<>();
        result.json().get("targets").forEach(t -> targets.put(t.get("target").asText(), t));
        return targets;
    }

    @Test
    void rollbackAfterAStoppedExpandUndoesWhatItReached() throws Exception {
        try (TestDatabase pg1 = TestDatabase.create(); TestDatabase pg2 = TestDatabase.create();
             MariaDbTestDatabase maria = MariaDbTestDatabase.create()) {
            pg1.execute("CREATE TABLE customers (id bigint PRIMARY KEY, first_name varchar(50))");
            pg2.execute("CREATE TABLE customers (id bigint PRIMARY KEY, first_name varchar(50))");
            maria.execute("CREATE TABLE customers (id BIGINT PRIMARY KEY, first_name VARCHAR(50))");
            Path migration = Files.writeString(dir.resolve("add_display_name.yaml"), "name: add_display_name\n"
                    + "operations:\n  - add_column:\n      table: customers\n"
                    + "      column: {name: display_name, type: varchar(50)}\n      up: first_name\n");
            Path fleet = Files.writeString(dir.resolve("fleet.yaml"), "concurrency: 1\nwaves:\n"
                    + "  - name: canary\n    targets: [{name: pg1, url: '" + pg1.url() + "'}]\n"
                    + "  - name: rest\n    targets:\n      - {name: maria, url: '" + maria.url(maria.name()) + "'}\n"
                    + "      - {name: pg2, url: '" + pg2.url() + "'}\n");
            String[] expand = {"expand", migration.toString(), "--fleet", fleet.toString(), "--lock-timeout", "100",
                    "--lock-retries", "0", "--output", "json"};

            Map<String, JsonNode> stopped;
            try (Connection reader = maria.connect(); Statement s = reader.createStatement()) {
                reader.setAutoCommit(false);
                s.executeQuery("SELECT count(*) FROM customers").close();
                Cli.Result result = Cli.runRaw(expand);
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.DATABASE);
                stopped = byTarget(result);
                reader.rollback();
            }
            assertThat(stopped.get("pg1").get("result").asText()).isEqualTo("done");
            assertThat(stopped.get("maria").at("/error/message").asText()).contains("could not take the MDL");
            assertThat(stopped.get("pg2").get("result").asText()).isEqualTo("not_started");

            Cli.Result rollback = Cli.runRaw("rollback", "--fleet", fleet.toString(), "--output", "json");

            assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
            Map<String, JsonNode> undone = byTarget(rollback);
            assertThat(undone.get("pg1").get("outcome").asText()).isEqualTo("rolled back");
            assertThat(undone.get("pg2").get("result").asText()).isEqualTo("already_done");
            assertThat(undone.get("pg2").get("outcome").asText()).isEqualTo("nothing to roll back: not expanded here");
            assertThat(undone.get("maria").get("result").asText()).isIn("done", "already_done");

            Cli.Result again = Cli.runRaw(expand);
            assertThat(again.exitCode()).as(again.toString()).isZero();
            Cli.Result status = Cli.runRaw("status", "--fleet", fleet.toString());
            assertThat(status.out()).contains("3 targets: 3 expanded; 0 failed");
        }
    }
}
