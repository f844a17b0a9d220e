package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate verify} end to end; scratch databases are created on the test server and dropped. */
class MigrateVerifyTest {
    private static final String SERVER = System.getenv().getOrDefault("TANDEM_PG_URL", TestDatabase.DEFAULT_URL);
    private static final Path EXAMPLES = Path.of("../migrations-examples/src/main/resources/migrations");
    private static final Path SHOP = Path.of("../migrations-examples/src/main/resources/schema/shop.sql");

    @TempDir
    Path dir;

    /** The project's own examples, each on the shop schema: lint clean, round trip clean. */
    @Test
    void theExamplesAreClean() {
        Cli.Result result = Cli.runRaw("verify", EXAMPLES.toString(), "--isolated", "--schema-sql", SHOP.toString(),
                "--url", SERVER, "--junit", dir.resolve("verify.xml").toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains(" 0 failed, 0 findings");
    }

    @Test
    void aMissingSchemaSqlIsASetupErrorNotAFinding() {
        Cli.Result result = Cli.runRaw("verify", EXAMPLES.resolve("add_column.yaml").toString(), "--url", SERVER);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).startsWith("migrate verify: ").contains("add_column.yaml: verify ran it on an empty "
                + "scratch database, where it fails (expand failed: ").contains("table 'customers' does not exist")
                .contains("give the schema the migrations start from with --schema-sql FILE");
        assertThat(result.out()).doesNotContain("TDM302");
    }

    @Test
    void aLaterMigrationsFailingExpandShowsItsOwnError() throws Exception {
        Cli.example(dir, "add_column.yaml");
        // the view of add_column's version uses customers.phone: PostgreSQL refuses with 0A000, after which the
        // pool closes the connection
        write("zz_phone.yaml", "name: phone_type\noperations:\n  - sql:\n      phase: expand\n"
                + "      sql: ALTER TABLE customers ALTER COLUMN phone TYPE varchar(40)\n"
                + "      rollback: ALTER TABLE customers ALTER COLUMN phone TYPE text\n");

        Cli.Result result = Cli.runRaw("verify", dir.toString(), "--schema-sql", SHOP.toString(), "--url", SERVER,
                "--output", "json");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(result.out()).contains("expand failed: ").contains("cannot alter type of a column used by a view")
                .doesNotContain("Connection is closed");
    }

    @Test
    void withoutUrlTheChecksRunOnAnEmbeddedPostgres() {
        Cli.Result result = Cli.runRaw("verify", EXAMPLES.resolve("rename_column.yaml").toString(),
                "--schema-sql", SHOP.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("2 checks, 0 failed, 0 findings");
    }

    @Test
    void anUnsafeFileExitsOneWithTheRuleItsLineAndAnAlternative() throws Exception {
        Path file = write("index.yaml", "name: note_index\noperations:\n  - sql:\n      phase: expand\n"
                + "      sql: CREATE INDEX orders_note_idx ON orders (note)\n      rollback: DROP INDEX orders_note_idx\n");
        Cli.Result result = Cli.runRaw("verify", file.toString(), "--no-database", "--output", "json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(result.json().path("findings")).extracting(f -> f.path("rule_id").asText())
                .containsExactly("TDM118", "TDM101");
        JsonNode finding = result.json().path("findings").get(1);
        assertThat(finding.path("line").asInt()).isEqualTo(5);
        assertThat(finding.path("operation").asText()).isEqualTo("operation 1 (sql)");
        assertThat(finding.path("safe_alternative").asText()).contains("create_index");
        assertThat(result.json().path("clean").asBoolean()).isFalse();
    }

    @Test
    void rawSqlForMariaDbIsReadWithMariaDbsRules() throws Exception {
        Path file = write("index.yaml", "name: note_index\noperations:\n  - sql:\n      phase: expand\n"
                + "      sql: ALTER TABLE orders ADD INDEX orders_note_idx (note), ALGORITHM=COPY\n"
                + "      rollback: ALTER TABLE orders DROP INDEX orders_note_idx\n");
        Cli.Result forMariaDb = Cli.runRaw("verify", file.toString(), "--no-database", "--database", "mariadb",
                "--output", "json");
        assertThat(forMariaDb.exitCode()).as(forMariaDb.toString()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(forMariaDb.json().path("findings")).extracting(f -> f.path("rule_id").asText())
                .containsExactly("TDM501");
        Cli.Result byUrl = Cli.runRaw("verify", file.toString(), "--no-database", "--url",
                "mariadb://root@127.0.0.1:1/", "--output", "json");
        assertThat(byUrl.json().path("findings")).extracting(f -> f.path("rule_id").asText())
                .containsExactly("TDM501");
        Cli.Result unknown = Cli.runRaw("verify", file.toString(), "--no-database", "--database", "oracle");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unknown.err()).contains("'oracle' is no database Tandem migrates: postgresql or mariadb");
    }

    @Test
    void githubAnnotationsAndJunitReport() throws Exception {
        Path file = write("script.sql", "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();\n");
        Path junit = dir.resolve("report.xml");
        Cli.Result result = Cli.runRaw("verify", file.toString(), "--github", "--junit", junit.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(result.out()).contains("::error file=" + file.normalize() + ",line=1,title=TDM107::")
                .contains("::error file=" + file.normalize() + ",line=1,title=TDM111::");
        assertThat(Files.readString(junit)).contains("<testsuite name=\"migrate verify\" tests=\"1\" failures=\"1\">")
                .contains("<failure message=\"TDM118, TDM111, TDM121, TDM107\"");
    }

    @Test
    void oldQueriesBrokenByAnExpandStepAreFindings() throws Exception {
        Path migration = write("note_type.yaml", "# tandem:disable TDM106, TDM118 reason: the test wants the database check\n"
                + "name: note_type\noperations:\n  - sql:\n      phase: expand\n"
                + "      sql: ALTER TABLE orders ALTER COLUMN note TYPE integer USING length(note)\n"
                + "      rollback: ALTER TABLE orders ALTER COLUMN note TYPE text\n");
        Path old = Files.createDirectory(dir.resolve("old"));
        Files.writeString(old.resolve("orders.sql"), "SELECT note FROM orders;\n"
                + "INSERT INTO orders (customer_id, note) VALUES (1, 'ring twice');\n");
        Cli.Result result = Cli.runRaw("verify", migration.toString(), "--schema-sql", SHOP.toString(),
                "--old-queries", old.toString(), "--url", SERVER, "--output", "json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode finding = result.json().path("findings").get(0);
        assertThat(finding.path("rule_id").asText()).isEqualTo("TDM303");
        assertThat(finding.path("file").asText()).endsWith("orders.sql");
        assertThat(finding.path("line").asInt()).isEqualTo(2);
        assertThat(finding.path("operation").asText()).isEqualTo("note_type operation 1 (sql)");
        assertThat(result.json().path("disabled").get(0).path("reason").asText()).startsWith("the test wants");
    }

    @Test
    void withPendingOnOnlyTheMigrationsTheDatabaseHasNotRecordedAreVerified() throws Exception {
        try (TestDatabase production = TestDatabase.create()) {
            production.execute(Files.readString(SHOP));
            Cli.example(dir, "rename_column.yaml");
            Cli.example(dir, "drop_column.yaml");
            Cli.Result expanded = new Cli(production).run("expand", dir.resolve("rename_column.yaml").toString());
            assertThat(expanded.exitCode()).as(expanded.toString()).isZero();

            Cli.Result result = Cli.runRaw("verify", dir.toString(), "--pending-on", production.url(),
                    "--schema-sql", SHOP.toString(), "--url", SERVER, "--output", "json");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.json().path("already_applied").get(0).asText()).endsWith("rename_column.yaml");
            assertThat(result.json().path("checks")).hasSize(2)
                    .allSatisfy(check -> assertThat(check.path("file").asText()).endsWith("drop_column.yaml"));
        }
    }

    @Test
    void withPendingOnAnAppliedFileThatChangedIsAFinding() throws Exception {
        try (TestDatabase production = TestDatabase.create()) {
            production.execute(Files.readString(SHOP));
            Path applied = Cli.example(dir, "rename_column.yaml");
            Cli.Result expanded = new Cli(production).run("expand", applied.toString());
            assertThat(expanded.exitCode()).as(expanded.toString()).isZero();
            Files.writeString(applied, Files.readString(applied) + "# edited after it was applied\n");

            Cli.Result result = Cli.runRaw("verify", dir.toString(), "--pending-on", production.url(),
                    "--no-database", "--output", "json");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(result.json().path("already_applied").get(0).asText()).endsWith("rename_column.yaml");
            JsonNode finding = result.json().path("findings").get(0);
            assertThat(finding.path("rule_id").asText()).isEqualTo("TDM003");
            assertThat(finding.path("file").asText()).endsWith("rename_column.yaml");
            assertThat(finding.path("message").asText()).contains("was applied from a file with checksum ");
        }
    }

    @Test
    void aDirectoryIsVerifiedInTheOrderMigrateUpAppliesIt() throws Exception {
        String operations = "operations:\n  - sql: {phase: contract, sql: SELECT 1}\n";
        Files.writeString(dir.resolve("001_a.yaml"), "name: a\n" + operations);
        Files.writeString(dir.resolve("002_b.yaml"), "name: b\nafter: c\n" + operations);
        Files.writeString(dir.resolve("003_c.yaml"), "name: c\n" + operations);
        Cli.Result result = Cli.runRaw("verify", dir.toString(), "--no-database", "--output", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> files = new ArrayList<>();
        result.json().path("checks").forEach(check -> files.add(Path.of(check.path("file").asText()).getFileName()
                .toString()));
        assertThat(files).containsExactly("001_a.yaml", "003_c.yaml", "002_b.yaml");

        Files.writeString(dir.resolve("003_c.yaml"), "name: c\nafter: b\n" + operations);
        Cli.Result cycle = Cli.runRaw("verify", dir.toString(), "--no-database");
        assertThat(cycle.exitCode()).as(cycle.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cycle.err()).contains("form a cycle");
    }

    @Test
    void capturedStatementsFromExportsPrepareAgainstTheirVersion() throws Exception {
        Path old = write("old.csv", "queryid,calls,query\n11,5,\"SELECT id, note FROM orders WHERE customer_id = $1\"\n"
                + "12,1,\"UPDATE orders SET note = $1 WHERE id = $2\"\n");
        Path next = write("new.json", "[{\"queryid\": 21, \"calls\": 3, "
                + "\"query\": \"SELECT customer_note FROM orders WHERE id = $1\"}]");
        Cli.Result result = Cli.runRaw("verify", EXAMPLES.resolve("rename_column.yaml").toString(), "--schema-sql",
                SHOP.toString(), "--old-capture", old.toString(), "--new-capture", next.toString(), "--url", SERVER);
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    /**
     * The live path reads pg_stat_statements, which works only when the server loads it at start
     * (shared_preload_libraries); the local test server does not, so this starts the embedded PostgreSQL, which
     * ships the extension, with it loaded. Nothing is skipped, on CI or elsewhere.
     */
    @Test
    void oldStatementsCapturedLiveFromPgStatStatementsAreChecked() throws Exception {
        try (EmbeddedPostgres production = EmbeddedPostgres.builder()
                .setServerConfig("shared_preload_libraries", "pg_stat_statements").start()) {
            try (Connection c = production.getPostgresDatabase().getConnection();
                 Statement s = c.createStatement()) {
                s.execute(Files.readString(SHOP));
                s.execute("CREATE EXTENSION pg_stat_statements");
                s.execute("SELECT pg_stat_statements_reset()");
                try (PreparedStatement app = c.prepareStatement("SELECT id FROM orders WHERE note LIKE ?")) {
                    app.setString(1, "%ring%");
                    app.executeQuery().close();
                }
            }
            Path migration = write("note_type.yaml", "# tandem:disable TDM106, TDM118 reason: the database check\n"
                    + "name: note_type\noperations:\n  - sql:\n      phase: expand\n"
                    + "      sql: ALTER TABLE orders ALTER COLUMN note TYPE integer USING length(note)\n"
                    + "      rollback: ALTER TABLE orders ALTER COLUMN note TYPE text\n");
            String url = production.getJdbcUrl("postgres", "postgres") + "&password=hunter2";
            Cli.Result result = Cli.runRaw("verify", migration.toString(), "--schema-sql", SHOP.toString(),
                    "--old-capture-url", url, "--url", SERVER, "--output", "json");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FINDINGS);
            JsonNode finding = result.json().path("findings").get(0);
            assertThat(finding.path("rule_id").asText()).isEqualTo("TDM303");
            assertThat(finding.path("file").asText()).matches("pg_stat_statements of postgresql://localhost:\\d+/postgres");
            assertThat(finding.path("message").asText()).matches("queryid -?\\d+: search_path public: .*")
                    .contains("integer ~~");
            assertThat(finding.path("operation").asText()).isEqualTo("note_type operation 1 (sql)");
            assertThat(result.toString()).doesNotContain("hunter2");
        }
    }

    /** An embedded server started without shared_preload_libraries, whatever the local server loads. */
    @Test
    void aServerWithoutPgStatStatementsIsAToolError() throws Exception {
        try (EmbeddedPostgres production = EmbeddedPostgres.builder().start()) {
            Cli.Result result = Cli.runRaw("verify", EXAMPLES.resolve("rename_column.yaml").toString(),
                    "--schema-sql", SHOP.toString(), "--url", SERVER, "--old-capture-url",
                    production.getJdbcUrl("postgres", "postgres") + "&password=hunter2");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(result.err()).contains("cannot read pg_stat_statements").doesNotContain("hunter2");
        }
    }

    @Test
    void aMissingPathIsBadInput() {
        Cli.Result result = Cli.runRaw("verify", dir.resolve("nothing-here").toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("no such file or directory");
    }

    @Test
    void anUnreachableScratchServerIsAToolErrorNotAFinding() throws Exception {
        Path file = write("ok.yaml", "name: note_index\noperations:\n  - create_index:\n      table: orders\n"
                + "      name: orders_note_idx\n      columns: [note]\n");
        Cli.Result result = Cli.runRaw("verify", file.toString(), "--url", "jdbc:postgresql://127.0.0.1:1/postgres");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
