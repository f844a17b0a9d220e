package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where settings come from: a flag, else env TANDEM_&lt;OPTION&gt;, else the config file, else the default; and the
 * URL forms --url takes.
 */
class MigrateSettingsTest {
    @TempDir
    Path dir;

    @Test
    void flagWinsOverEnvOverFileOverDefault() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Map<String, String> url = Map.of("TANDEM_URL", db.url());
            assertThat(schema(Cli.runIn(dir, url, "status"))).isEqualTo("public");

            Files.writeString(dir.resolve("tandem.yaml"), "schema: from_file\nlock-timeout: 700\n");
            assertThat(schema(Cli.runIn(dir, url, "status"))).isEqualTo("from_file");

            Map<String, String> env = Map.of("TANDEM_URL", db.url(), "TANDEM_SCHEMA", "from_env");
            assertThat(schema(Cli.runIn(dir, env, "status"))).isEqualTo("from_env");
            assertThat(schema(Cli.runIn(dir, env, "status", "--schema", "from_flag"))).isEqualTo("from_flag");

            // --help shows the value in force as the default
            assertThat(Cli.runIn(dir, Map.of(), "expand", "--help").out()).contains("(default: 700)");
            assertThat(Cli.runIn(dir, Map.of("TANDEM_LOCK_TIMEOUT", "800"), "expand", "--help").out())
                    .contains("(default: 800)");
        }
    }

    @Test
    void configFileByNameOrPropertiesAndTheUrlFromIt() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Path properties = Files.writeString(dir.resolve("tandem.properties"),
                    "url=" + db.url() + "\nschema=from_properties\n");
            assertThat(schema(Cli.runIn(dir, Map.of(), "status"))).isEqualTo("from_properties");

            Path elsewhere = Files.createDirectory(dir.resolve("conf"));
            Path named = Files.writeString(elsewhere.resolve("prod.yaml"), "url: " + db.url() + "\nschema: named\n");
            assertThat(schema(Cli.runIn(dir, Map.of(), "status", "--config", named.toString()))).isEqualTo("named");
            assertThat(schema(Cli.runIn(dir, Map.of("TANDEM_CONFIG", named.toString()), "status")))
                    .isEqualTo("named");
            assertThat(properties).exists();
        }
    }

    @Test
    void aBadConfigFileIsBadInputNamingFileLineAndKey() throws IOException {
        Files.writeString(dir.resolve("tandem.yaml"), "lock-timout: 700\n");
        Cli.Result unknown = Cli.runIn(dir, Map.of(), "status");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unknown.err()).contains("tandem.yaml: unknown setting 'lock-timout'; expected one of ")
                .contains("lock-timeout");

        Files.writeString(dir.resolve("tandem.yaml"), "schema: a\nlock-timeout: [700\n");
        Cli.Result malformed = Cli.runIn(dir, Map.of(), "status", "--output", "json");
        assertThat(malformed.exitCode()).as(malformed.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(malformed.json().at("/error/message").asText()).startsWith(dir.resolve("tandem.yaml")
                + ": line 3, column 1: expected ',' or ']', but got <stream end> (while parsing a flow sequence at "
                + "line 2, column 15)");

        Files.writeString(dir.resolve("tandem.properties"), "schema=b\n");
        Cli.Result both = Cli.runIn(dir, Map.of("TANDEM_OUTPUT", "json"), "status");
        assertThat(both.json().at("/error/message").asText()).contains("both exist: keep one");

        Cli.Result missing = Cli.runIn(dir, Map.of(), "status", "--config", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("nope.yaml: no such config file");
    }

    @Test
    void verifysScratchServerIsNotTheDeployDatabase() throws IOException {
        Files.writeString(dir.resolve("tandem.yaml"), "verify-url: jdbc:postgresql://127.0.0.1:1/scratch\n");
        Path migration = Cli.example(dir, "add_column.yaml");

        Cli.Result result = Cli.runIn(dir, Map.of("TANDEM_URL", "jdbc:postgresql://127.0.0.1:2/deploy"),
                "verify", migration.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.toString()).contains("127.0.0.1:1/").doesNotContain("127.0.0.1:2/");
    }

    @Test
    void postgresAndMariaDbUrlsOfOtherTools() {
        try (TestDatabase pg = TestDatabase.create(); MariaDbTestDatabase maria = MariaDbTestDatabase.create()) {
            for (String url : new String[] {pg.url().replaceFirst("^jdbc:postgresql:", "postgres:"),
                    pg.url().replaceFirst("^jdbc:postgresql:", "postgresql:")}) {
                assertThat(schema(Cli.runRaw("status", "--url", url))).isEqualTo("public");
            }
            for (String url : new String[] {maria.url(maria.name()).replaceFirst("^jdbc:mariadb:", "mariadb:"),
                    maria.url(maria.name()).replaceFirst("^jdbc:mariadb:", "mysql:")}) {
                assertThat(schema(Cli.runRaw("status", "--url", url))).isEqualTo(maria.name());
            }
        }
    }

    private static String schema(Cli.Result status) {
        assertThat(status.exitCode()).as(status.toString()).isZero();
        return status.out().lines().filter(line -> line.startsWith("No migrations recorded on schema "))
                .findFirst().orElseThrow().replaceFirst("^No migrations recorded on schema ", "")
                .replaceFirst("\\.$", "");
    }
}
