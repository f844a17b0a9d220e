package dev.tandem.coordinator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.migration.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus in src/test/resources/verify: every file in unsafe/ is named after the rule it must trip
 * ({@code TDM101_create_index.yaml}); every file in safe/ must come out clean.
 */
class LintCorpusTest {
    @TestFactory
    Stream<DynamicTest> unsafeFilesAreFlaggedWithTheirRule() throws Exception {
        return files("unsafe").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String expected = file.getFileName().toString().substring(0, "TDM000".length());
            List<Finding> findings = lint(file);
            assertThat(findings).extracting(Finding::ruleId).as(findings.toString()).contains(expected);
            assertWellFormed(findings);
        }));
    }

    @TestFactory
    Stream<DynamicTest> safeFilesAreClean() throws Exception {
        return files("safe").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> assertThat(lint(file)).isEmpty()));
    }

    @TestFactory
    Stream<DynamicTest> unsafeMariaDbFilesAreFlaggedWithTheirRule() throws Exception {
        return files("mariadb/unsafe").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String expected = file.getFileName().toString().substring(0, "TDM000".length());
            List<Finding> findings = lint(file, Database.MARIADB);
            assertThat(findings).extracting(Finding::ruleId).as(findings.toString()).contains(expected);
            assertWellFormed(findings);
        }));
    }

    @TestFactory
    Stream<DynamicTest> safeMariaDbFilesAreClean() throws Exception {
        return files("mariadb/safe").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> assertThat(lint(file, Database.MARIADB)).isEmpty()));
    }

    @Test
    void aMigrationForMariaDbOnlyIsReadWithMariaDbsRules() {
        byte[] file = """
                name: gift_flag
                operations:
                  - sql:
                      phase: expand
                      sql: {mariadb: "ALTER TABLE orders ADD COLUMN gift TINYINT(1) NULL, ALGORITHM=COPY"}
                      rollback: {mariadb: "ALTER TABLE orders DROP COLUMN gift"}
                """.getBytes(StandardCharsets.UTF_8);
        assertThat(Verifier.lint("gift_flag.yaml", file).findings()).extracting(Finding::ruleId)
                .containsExactly("TDM501");
    }

    @Test
    void theCorpusHasAtLeastThirtyMigrations() throws Exception {
        assertThat(files("unsafe").count() + files("safe").count()).isGreaterThanOrEqualTo(30);
    }

    @Test
    void findingsPointAtTheStatementLine() throws Exception {
        List<Finding> findings = lint(corpus("unsafe").resolve("TDM111_lock_timeout_off.yaml"));
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.line()).isEqualTo(6);
            assertThat(finding.operation()).isEqualTo("operation 1 (sql)");
        });
        assertThat(lint(corpus("unsafe").resolve("TDM111_no_lock_timeout.sql")))
                .extracting(Finding::line).containsOnly(2);
    }

    @Test
    void aDirectiveTurnsItsRuleOffAndKeepsItsReason() throws Exception {
        LintResult result = Verifier.lint("directive_with_reason.yaml",
                Files.readAllBytes(corpus("safe").resolve("directive_with_reason.yaml")));
        assertThat(result.findings()).isEmpty();
        assertThat(result.directives()).singleElement().satisfies(directive -> {
            assertThat(directive.ruleIds()).containsExactly("TDM101");
            assertThat(directive.reason()).startsWith("audit_log holds");
        });
    }

    @Test
    void everyRuleHasAnIdAndAnAlternative() {
        for (Rule rule : Rule.values()) {
            assertThat(rule.id()).matches("TDM\\d{3}");
            assertThat(rule.alternative()).isNotBlank();
            assertThat(rule.problem()).isNotBlank();
        }
    }

    private static void assertWellFormed(List<Finding> findings) {
        for (Finding finding : findings) {
            assertThat(Rule.byId(finding.ruleId())).isPresent();
            assertThat(finding.safeAlternative()).isNotBlank();
            assertThat(finding.message()).isNotBlank();
        }
    }

    private static List<Finding> lint(Path file) throws IOException {
        return lint(file, null);
    }

    private static List<Finding> lint(Path file, Database database) throws IOException {
        return Verifier.lint(file.getFileName().toString(), Files.readAllBytes(file), database).findings();
    }

    private static Stream<Path> files(String kind) throws Exception {
        try (Stream<Path> listing = Files.list(corpus(kind))) {
            return listing.sorted().toList().stream();
        }
    }

    private static Path corpus(String kind) throws URISyntaxException {
        return Path.of(LintCorpusTest.class.getClassLoader().getResource("verify/" + kind).toURI());
    }
}
