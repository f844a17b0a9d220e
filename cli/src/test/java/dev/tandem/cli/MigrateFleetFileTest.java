package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong fleet file or option stops a fleet command before any target is touched (exit code 2). */
class MigrateFleetFileTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownKeyIsNamedWithItsFileAndLine() throws IOException {
        Path fleet = Files.writeString(dir.resolve("fleet.yaml"), """
                concurrency: 2
                waves:
                  - name: canary
                    url_template: jdbc:postgresql://127.0.0.1:1/{name}
                    names: [a, b]
                    concurency: 4
                """);

        Cli.Result result = Cli.runRaw("status", "--fleet", fleet.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).startsWith("migrate status: " + fleet + ": waves[0].concurency: unknown key "
                + "'concurency'; expected one of credentials, name, names, schema, targets, url_template (line 6)");
    }

    @Test
    void aMissingCredentialIsNamedButNoSecretShows() throws IOException {
        Files.writeString(dir.resolve("secrets.properties"), "a.password=hunter2-secret\n");
        Path fleet = Files.writeString(dir.resolve("fleet.yaml"), """
                credentials: {secrets_file: secrets.properties, password_key: '{name}.password'}
                waves:
                  - name: all
                    url_template: jdbc:postgresql://127.0.0.1:1/{name}
                    names: [a, b]
                """);

        Cli.Result result = Cli.runRaw("rollback", "--fleet", fleet.toString(), "--output", "json");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.json().at("/error/message").asText()).contains("wave 'all', target 'b': secrets file ")
                .endsWith("has no key 'b.password' (password_key)");
        assertThat(result.out() + result.err()).doesNotContain("hunter2");
    }

    @Test
    void thePhaseAndStatusCommandsShowTheOption() {
        for (String command : new String[] {"expand", "backfill", "contract", "rollback"}) {
            assertThat(Cli.runRaw(command, "--help").out()).as(command).contains("--fleet=FILE", "--keep-going");
        }
        assertThat(Cli.runRaw("status", "--help").out()).contains("--fleet=FILE").doesNotContain("--keep-going");
    }

    @Test
    void theConnectionOptionsOfOneDatabaseAreRefused() throws IOException {
        Path fleet = Files.writeString(dir.resolve("fleet.yaml"), """
                waves:
                  - name: all
                    targets: [{url: 'jdbc:postgresql://127.0.0.1:1/a'}]
                """);

        Cli.Result result = Cli.runRaw("backfill", "--fleet", fleet.toString(), "--url",
                "jdbc:postgresql://127.0.0.1:1/b");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("--url cannot be used with --fleet");

        Cli.Result changelog = Cli.runRaw("contract", "--changelog", "changelog.xml", "--fleet", fleet.toString());
        assertThat(changelog.exitCode()).as(changelog.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(changelog.err()).contains("--changelog cannot be used with --fleet");
    }
}
