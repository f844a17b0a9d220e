package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every failure is one message naming what is wrong, with the exit code a script can act on. */
class MigrateErrorsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("malformed.yaml", """
                        name: x
                        operations:
                          - add_column: {table: customers
                        """, "malformed.yaml: "),
                Arguments.of("unknown_op.yaml", """
                        name: x
                        operations:
                          - add_colum:
                              table: customers
                        """, "operation 1: unknown operation 'add_colum'; expected one of add_column, "),
                Arguments.of("unknown_key.yaml", """
                        name: x
                        operations:
                          - add_column:
                              table: customers
                              colour: red
                              column: {name: a, type: text}
                        """, "unknown key 'colour'; expected one of column, table, up"),
                Arguments.of("hostile.yaml", """
                        name: x
                        operations:
                          - add_column:
                              table: 'users"; drop table x; --'
                              column: {name: a, type: text}
                        """, "operation 1 (add_column): 'table' 'users\"; drop table x; --' may only contain letters, digits and "
                        + "underscores"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badMigrationFileExitsTwoAndChangesNothing(String name, String content, String problem) throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            List<String> before = Catalog.dump(db);
            Path file = dir.resolve(name);
            Files.writeString(file, content, StandardCharsets.UTF_8);

            for (String command : List.of("expand", "plan")) {
                Cli.Result result = new Cli(db).run(command, file.toString());

                assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
                assertThat(result.err()).startsWith("migrate " + command + ": " + name + ": ").contains(problem);
                assertThat(result.out()).isEmpty();
            }
            assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
        }
    }

    @Test
    void missingFileAndUsageErrorsExitTwo() {
        Cli.Result missing = Cli.runRaw("expand", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).isEqualTo("migrate expand: " + dir.resolve("nope.yaml") + ": no such file\n");

        Cli.Result unknownOption = Cli.runRaw("status", "--colour");
        assertThat(unknownOption.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unknownOption.err()).startsWith("migrate status: Unknown option: '--colour'");

        Cli.Result badSetting = Cli.runRaw("status", "--batch-size", "0");
        assertThat(badSetting.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(badSetting.err()).startsWith("migrate status: batch size must be between 1 and 1000000, not 0");
        Cli.Result badHold = Cli.runRaw("status", "--lock-hold-timeout", "0");
        assertThat(badHold.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(badHold.err()).startsWith("migrate status: lock hold timeout must be positive, not PT0S");

        assertThat(Cli.runRaw().exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void failuresAreJsonWithOutputJson() {
        Cli.Result missing = Cli.runRaw("plan", dir.resolve("nope.yaml").toString(), "--output", "json");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).isEmpty();
        JsonNode error = missing.json().get("error");
        assertThat(error.get("code").asInt()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(error.get("message").asText()).isEqualTo(dir.resolve("nope.yaml") + ": no such file");

        Cli.Result usage = Cli.runRaw("status", "--output=json", "--lock-retries", "many");
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(usage.json().at("/error/message").asText()).contains("'many' is not an int");
    }

    @Test
    void contractBeforeExpandIsAStateConflict() {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Cli cli = new Cli(db);

            Cli.Result named = cli.run("contract", "add_display_name");
            assertThat(named.exitCode()).as(named.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
            assertThat(named.err()).isEqualTo("migrate contract: no migration named 'add_display_name' has been "
                    + "expanded on schema 'public'\n");

            Cli.Result current = cli.run("contract");
            assertThat(current.exitCode()).isEqualTo(ExitCodes.STATE_CONFLICT);
            assertThat(current.err()).isEqualTo("migrate contract: no migration has been expanded on schema 'public'; "
                    + "nothing to contract\n");
        }
    }

    @Test
    void changedFileOfAnAppliedMigrationIsAStateConflict() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Cli cli = new Cli(db);
            Path file = Cli.example(dir, "add_column.yaml");
            assertThat(cli.run("expand", file.toString()).exitCode()).isZero();
            Files.writeString(file, Files.readString(file).replace("Name shown in the shop", "Shown name"));

            Cli.Result again = cli.run("expand", file.toString());

            assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
            assertThat(again.err()).startsWith("migrate expand: add_column.yaml: migration 'add_display_name' was "
                    + "applied from a file with different content");
        }
    }
}
