package dev.tandem.coordinator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verify as a library call: typed settings in, a report out; failures of verify itself are exceptions. */
class VerificationTest {
    private static final String SERVER = System.getenv().getOrDefault("TANDEM_PG_URL", TestDatabase.DEFAULT_URL);
    private static final Path EXAMPLES = Path.of("../migrations-examples/src/main/resources/migrations");
    private static final Path SHOP = Path.of("../migrations-examples/src/main/resources/schema/shop.sql");

    @TempDir
    Path dir;

    @Test
    void withoutAScratchServerItLintsAndTheReportFails() throws Exception {
        Path file = Files.writeString(dir.resolve("index.yaml"), "name: note_index\noperations:\n  - sql:\n"
                + "      phase: expand\n      sql: CREATE INDEX orders_note_idx ON orders (note)\n"
                + "      rollback: DROP INDEX orders_note_idx\n");

        VerifyReport report = Verification.builder().build().verify(List.of(file));

        assertThat(report.passed()).isFalse();
        assertThat(report.checks()).extracting(VerifyReport.Check::kind).containsExactly(VerifyReport.Kind.LINT);
        assertThat(report.findings()).extracting(Finding::ruleId).containsExactly("TDM118", "TDM101");
        StringWriter json = new StringWriter();
        report.writeJson(new PrintWriter(json));
        assertThat(json.toString()).startsWith("{\"clean\":false,\"findings\":[{\"rule_id\":\"TDM118\"");
    }

    @Test
    void onAScratchServerTheRoundTripRunsAndTheReportPasses() throws Exception {
        Verification verification = Verification.builder()
                .schemaSql(SHOP)
                .scratchServer(() -> ScratchServer.on(new DatabaseLogin(SERVER, null, null)))
                .build();

        VerifyReport report = verification.verify(List.of(EXAMPLES.resolve("rename_column.yaml")));

        assertThat(report.passed()).as(report.toString()).isTrue();
        assertThat(report.checks()).extracting(VerifyReport.Check::kind)
                .containsExactly(VerifyReport.Kind.LINT, VerifyReport.Kind.DATABASE);
        Path junit = dir.resolve("verify.xml");
        report.writeJunit(junit);
        assertThat(Files.readString(junit)).contains("tests=\"2\" failures=\"0\"");
    }

    @Test
    void aMissingPathIsAnExceptionNotAReport() {
        assertThatThrownBy(() -> Verification.builder().build().verify(List.of(dir.resolve("nothing-here"))))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("no such file or directory");
    }

    @Test
    void aLoginNeverShowsItsPassword() {
        assertThat(new DatabaseLogin("postgres://u:hunter2@h/db", "u", "hunter2").toString())
                .doesNotContain("hunter2");
    }
}
