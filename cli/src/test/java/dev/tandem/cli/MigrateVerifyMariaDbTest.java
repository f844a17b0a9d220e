package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate verify --scratch-url mariadb://...}: the round trip and the old/new statement checks on MariaDB
 * scratch databases, created on the test server and dropped with everything Tandem made for them.
 */
class MigrateVerifyMariaDbTest {
    /** The server as a mariadb:// URL, the form the docs show. */
    private static final String SERVER = System.getenv()
            .getOrDefault("TANDEM_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/?user=root")
            .replaceFirst("^jdbc:mariadb://([^/?]*)[/]?\\?user=([^&]*)$", "mariadb://$2@$1/");
    private static final Path EXAMPLES = Path.of("../migrations-examples/src/main/resources/migrations");
    private static final Path SHOP = Path.of("../migrations-examples/src/main/resources/schema/shop-mariadb.sql");
    /** The lint rules are PostgreSQL's; these tests are about the database checks. */
    private static final String NO_LINT = "# tandem:disable TDM119, TDM501, TDM502 reason: the test wants the database"
            + " checks\n";

    @TempDir
    Path dir;

    @Test
    void aRenameThroughTheOperationPassesWithBothVersionsStatements() throws Exception {
        Path old = write("old.sql", "SELECT id, note FROM orders WHERE customer_id = 1;\n"
                + "INSERT INTO orders (customer_id, note) VALUES (1, 'ring twice');\n");
        Path next = write("new.sql", "SELECT id, customer_note FROM orders;\n");
        long scratchBefore = scratchDatabases();

        Cli.Result result = Cli.runRaw("verify", EXAMPLES.resolve("rename_column.yaml").toString(),
                "--schema-sql", SHOP.toString(), "--old-queries", old.toString(), "--new-queries", next.toString(),
                "--scratch-url", SERVER);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("2 checks, 0 failed, 0 findings");
        assertThat(scratchDatabases()).as("scratch, version and state databases dropped").isEqualTo(scratchBefore);
    }

    @Test
    void aMigrationThatBreaksAnOldStatementFailsNamingIt() throws Exception {
        Path migration = write("priority.yaml", NO_LINT + "name: priority\noperations:\n  - sql:\n"
                + "      phase: expand\n      sql: ALTER TABLE orders ADD COLUMN priority int NOT NULL\n"
                + "      rollback: ALTER TABLE orders DROP COLUMN priority\n");
        Path old = write("orders.sql", "SELECT id, note FROM orders;\n"
                + "INSERT INTO orders (customer_id, note) VALUES (1, 'ring twice');\n");

        Cli.Result result = Cli.runRaw("verify", migration.toString(), "--schema-sql", SHOP.toString(),
                "--old-queries", old.toString(), "--scratch-url", SERVER, "--output", "json");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode finding = result.json().path("findings").get(0);
        assertThat(finding.path("rule_id").asText()).isEqualTo("TDM303");
        assertThat(finding.path("file").asText()).endsWith("orders.sql");
        assertThat(finding.path("line").asInt()).isEqualTo(2);
        assertThat(finding.path("operation").asText()).isEqualTo("priority operation 1 (sql)");
        assertThat(finding.path("message").asText()).contains("priority").contains("broken by ");
    }

    @Test
    void aRollbackThatLeavesADifferentCatalogFails() throws Exception {
        Path migration = write("legacy_code.yaml", NO_LINT + "name: wider_legacy_code\noperations:\n  - sql:\n"
                + "      phase: expand\n      sql: ALTER TABLE products MODIFY legacy_code varchar(80)\n"
                + "      rollback: ALTER TABLE products MODIFY legacy_code varchar(60)\n");

        Cli.Result result = Cli.runRaw("verify", migration.toString(), "--schema-sql", SHOP.toString(),
                "--scratch-url", SERVER, "--output", "json");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(result.json().path("findings")).singleElement().satisfies(finding -> {
            assertThat(finding.path("rule_id").asText()).isEqualTo("TDM301");
            assertThat(finding.path("message").asText()).contains("legacy_code varchar(40)")
                    .contains("legacy_code varchar(60)");
        });
    }

    @Test
    void theSampleChangelogGoesThroughItsRoundTripOnMariaDb() throws Exception {
        Path old = write("old.sql", "SELECT id, full_name FROM customer WHERE id = 1;\n");
        Path next = write("new.sql", "SELECT id, name FROM customer WHERE id = 1;\n");

        Cli.Result result = Cli.runRaw("verify", "--changelog",
                "../migrations-examples/src/main/resources/liquibase/shop-changelog.xml", "--old-queries",
                old.toString(), "--new-queries", next.toString(), "--scratch-url", SERVER);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("2 checks, 0 failed, 0 findings");
    }

    @Test
    void aLiveCaptureFromMariaDbIsBadInputThatSaysWhy() throws Exception {
        Cli.Result result = Cli.runRaw("verify", EXAMPLES.resolve("rename_column.yaml").toString(),
                "--schema-sql", SHOP.toString(), "--scratch-url", SERVER, "--old-capture-url", SERVER);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("pg_stat_statements, which only PostgreSQL has")
                .contains("performance_schema");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static long scratchDatabases() throws Exception {
        String admin = System.getenv().getOrDefault("TANDEM_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/?user=root");
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA"
                     + " WHERE SCHEMA_NAME LIKE 'tandem!_verify!_%' ESCAPE '!'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
