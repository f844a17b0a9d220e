package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
                        """, "operation 1: unknown operation 'add_colum'; expected one of add_column, alter_column, "
                        + "create_constraint, create_index, create_table, drop_column, drop_constraint, drop_index, "
                        + "drop_table, move_column, normalize_column, rename_column, rename_constraint, rename_table, "
                        + "sql (line 3)"),
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

        // --batch-size is backfill's own option since each command lists only its own
        Cli.Result badSetting = Cli.runRaw("backfill", "--batch-size", "0");
        assertThat(badSetting.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(badSetting.err()).startsWith("migrate backfill: batch size must be between 1 and 1000000, not 0");
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
    void backfillFailingOnTheDataExitsTwoNamingTheRowAndTheExpression() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            // expand probes the first 1000 rows; the bad one comes later
            db.execute("CREATE TABLE readings (id integer PRIMARY KEY, raw text NOT NULL)",
                    "INSERT INTO readings SELECT i, CASE WHEN i = 1900 THEN 'n/a' ELSE i::text END "
                            + "FROM generate_series(1, 2000) i");
            Path file = Files.writeString(dir.resolve("value.yaml"), """
                    name: parse_value
                    operations:
                      - add_column:
                          table: readings
                          column: {name: value, type: integer}
                          up: raw::integer
                    """);
            Cli cli = new Cli(db);
            assertThat(cli.run("expand", file.toString()).exitCode()).isZero();

            Cli.Result backfill = cli.run("backfill", "--batch-size", "500");

            assertThat(backfill.exitCode()).as(backfill.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(backfill.err()).startsWith("migrate backfill: backfill of table 'readings' failed on the row "
                    + "with key [\"1900\"] (value = raw::integer): ").contains("n/a");
        }
    }

    @Test
    void backfillFailingOnDuplicatesWithinOneBatchSaysSoRatherThanNamingARow() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            // the unique index is built over the empty shadow at expand; the backfill fills both 'C1' in one batch
            db.execute("CREATE TABLE coupons (id integer PRIMARY KEY, code text NOT NULL)",
                    "INSERT INTO coupons VALUES (1, 'C1'), (2, 'C2'), (3, 'C1')");
            Path file = Files.writeString(dir.resolve("unique.yaml"), """
                    name: unique_codes
                    operations:
                      - alter_column: {table: coupons, column: code, unique: true}
                    """);
            Cli cli = new Cli(db);
            assertThat(cli.run("expand", file.toString()).exitCode()).isZero();

            Cli.Result backfill = cli.run("backfill");

            assertThat(backfill.exitCode()).as(backfill.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(backfill.err()).startsWith("migrate backfill: backfill of table 'coupons' failed in the batch "
                    + "after key (start), on no single row alone but on rows of the batch together (_tandem_code = "
                    + "\"code\"): ").contains("already exists. A row's value from up breaks a constraint");
        }
    }

    @Test
    void aRefusedExpandLeavesNoStateBehind() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Path file = Files.writeString(dir.resolve("nope.yaml"), """
                    name: add_to_nothing
                    operations:
                      - add_column:
                          table: no_such_table
                          column: {name: a, type: text}
                    """);

            Cli.Result expand = new Cli(db).run("expand", file.toString());

            assertThat(expand.exitCode()).as(expand.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(expand.err()).contains("no_such_table");
            assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tandem'")).isEqualTo("0");
        }
    }

    @Test
    void aMariaDbDatabaseReCreatedUnderItsNameDoesNotInheritItsPredecessorsState() throws Exception {
        String table = "CREATE TABLE customers (id BIGINT AUTO_INCREMENT PRIMARY KEY, first_name VARCHAR(50))";
        try (MariaDbTestDatabase maria = MariaDbTestDatabase.create()) {
            maria.execute(table, "INSERT INTO customers (first_name) VALUES ('Ada')");
            Path file = Files.writeString(dir.resolve("add_display_name.yaml"), "name: add_display_name\n"
                    + "operations:\n  - add_column:\n      table: customers\n"
                    + "      column: {name: display_name, type: varchar(50)}\n      up: first_name\n");
            Cli cli = new Cli(List.of("--url", maria.url(maria.name())));
            for (String phase : List.of("expand", "backfill", "contract")) {
                Cli.Result result = phase.equals("expand") ? cli.run(phase, file.toString()) : cli.run(phase);
                assertThat(result.exitCode()).as(result.toString()).isZero();
            }
            try (Connection admin = DriverManager.getConnection(maria.url(""));
                 Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE " + maria.name());
                s.execute("CREATE DATABASE " + maria.name());
            }
            maria.execute(table);

            for (Cli.Result again : List.of(cli.run("expand", file.toString()), cli.run("contract"))) {
                assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
                assertThat(again.err()).contains("migration 'add_display_name' is recorded as complete on '"
                        + maria.name() + "' in Tandem's state 'tandem', but the catalog of '" + maria.name()
                        + "' is as it was before its expand");
            }
        }
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
