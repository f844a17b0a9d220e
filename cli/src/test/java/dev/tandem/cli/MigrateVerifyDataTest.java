package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate verify-data}: drift in JSON, and the mistakes it refuses. */
class MigrateVerifyDataTest {
    private static final String SPEC = "old: {table: customers, key: [id], columns: [email, phone]}\n"
            + "new: {table: customer_copies, key: [customer_id], columns: [email, phone]}\n";

    @TempDir
    Path dir;

    private Path spec(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void reportsDriftByKeyAndRefusesWhatItCannotCompare() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            db.execute("CREATE TABLE customer_copies AS SELECT id AS customer_id, email, phone "
                    + "FROM customers", "UPDATE customer_copies SET phone = NULL WHERE customer_id = 2",
                    "DELETE FROM customer_copies WHERE customer_id = 4");
            Cli cli = new Cli(db);
            String spec = spec("copies.yaml", SPEC).toString();

            Cli.Result unknown = cli.run("verify-data", "add_display_name", "--spec", spec);
            assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
            assertThat(unknown.err()).contains("migration 'add_display_name' is not recorded on schema 'public'");

            assertThat(cli.run("expand", Cli.example(dir, "add_column.yaml").toString()).exitCode()).isZero();
            Cli.Result drifted = cli.run("verify-data", "add_display_name", "--spec", spec, "--limit", "1",
                    "--output", "json");
            assertThat(drifted.exitCode()).as(drifted.toString()).isEqualTo(ExitCodes.DRIFT);
            JsonNode json = drifted.json();
            assertThat(json.at("/compared").asLong()).isEqualTo(200);
            assertThat(json.at("/drifted").asLong()).isEqualTo(2);
            assertThat(json.at("/drifts").toString()).isEqualTo("[{\"key\":[\"2\"],\"kind\":\"DIFFERENT\","
                    + "\"old_values\":[\"customer2@example.com\",\"555-2\"],"
                    + "\"new_values\":[\"customer2@example.com\",null]}]");

            Cli.Result uneven = cli.run("verify-data", "add_display_name", "--spec", spec("uneven.yaml",
                    SPEC.replace("[customer_id], columns: [email, phone]", "[customer_id], columns: [email]")).toString());
            assertThat(uneven.exitCode()).as(uneven.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(uneven.err()).contains("the old shape has 2 column(s) to compare, the new shape 1");

            Cli.Result incomplete = cli.run("verify-data", "add_display_name", "--spec",
                    spec("incomplete.yaml", "old: {table: customers, key: [id], columns: [email]}\n").toString());
            assertThat(incomplete.exitCode()).as(incomplete.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(incomplete.err()).contains("incomplete.yaml: both 'old' and 'new' are required");
        }
    }
}
