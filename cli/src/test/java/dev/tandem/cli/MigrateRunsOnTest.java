package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate plan} and {@code migrate verify} say which databases a migration file runs on. */
class MigrateRunsOnTest {
    @TempDir
    Path dir;

    @Test
    void planSaysWhichDatabasesInTextAndJson() {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Cli cli = new Cli(db);
            String portable = Cli.example(dir, "portable.yaml").toString();
            String postgresOnly = Cli.example(dir, "add_column.yaml").toString();

            Cli.Result both = cli.run("plan", portable);
            assertThat(both.exitCode()).as(both.toString()).isZero();
            assertThat(both.out()).contains("\nruns on: PostgreSQL, MariaDB\n");
            Cli.Result one = cli.run("plan", postgresOnly);
            assertThat(one.out()).contains("\nPostgreSQL only: operation 1 (add_column): 'first_name || ' ' ||"
                    + " last_name' has '||', which MySQL and MariaDB read as OR");

            JsonNode json = cli.run("plan", postgresOnly, "--output", "json").json();
            assertThat(json.at("/databases/runs_on").toString()).isEqualTo("[\"postgresql\"]");
            assertThat(json.at("/databases/refused/mariadb").asText()).startsWith("operation 1 (add_column): ");
            assertThat(cli.run("plan", portable, "--output", "json").json().at("/databases/runs_on").toString())
                    .isEqualTo("[\"postgresql\",\"mariadb\"]");
        }
    }

    @Test
    void verifySaysItForEachFile() {
        String portable = Cli.example(dir, "portable.yaml").toString();
        String postgresOnly = Cli.example(dir, "price_in_cents.yaml").toString();
        Cli.Result text = Cli.runRaw("verify", portable, postgresOnly, "--no-database");
        assertThat(text.out()).contains(portable + ": runs on: PostgreSQL, MariaDB")
                .contains(postgresOnly + ": PostgreSQL only: operation 1 (alter_column): ");
        JsonNode json = Cli.runRaw("verify", portable, "--no-database", "--output", "json").json();
        assertThat(json.at("/checks/0/databases").asText()).isEqualTo("runs on: PostgreSQL, MariaDB");
    }
}
