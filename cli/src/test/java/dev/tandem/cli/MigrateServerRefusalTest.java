package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statement the server refuses as "feature not supported" (SQLSTATE 0A000): the pool keeps the session
 * ({@code KeepSessionOnServerRefusal}), so the refusal is reported as the migration's, and expand leaves nothing.
 * Before, the pool closed the connection and the command said only "Connection is closed".
 */
class MigrateServerRefusalTest {
    @TempDir
    Path dir;

    @Test
    void anInstantAddColumnMariaDbRefusesIsTheMigrationsErrorAndLeavesNothing() throws Exception {
        try (MariaDbTestDatabase db = MariaDbTestDatabase.create()) {
            // MariaDB adds no column INSTANTly to a table with a FULLTEXT index (1845); one with triggers of its own
            // is not copied instead
            db.execute("CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT, FULLTEXT KEY notes_body (body))",
                    "CREATE TRIGGER notes_trimmed BEFORE UPDATE ON notes FOR EACH ROW SET NEW.body = TRIM(NEW.body)");
            Path file = Files.writeString(dir.resolve("add_title.yaml"), "name: add_title\noperations:\n"
                    + "  - add_column: {table: notes, column: {name: title, type: varchar(40)}}\n");
            Cli cli = new Cli(List.of("--url", db.url(db.name())));

            Cli.Result expand = cli.run("expand", file.toString());

            assertThat(expand.exitCode()).as(expand.toString()).isEqualTo(2);
            assertThat(expand.err()).contains("add_title.yaml: operation 1 (add_column)")
                    .contains("ALGORITHM=INSTANT is not supported").contains("nothing is left of it")
                    .doesNotContain("Connection is closed");
            assertThat(cli.run("status").out()).contains("No migrations recorded");
        }
    }
}
