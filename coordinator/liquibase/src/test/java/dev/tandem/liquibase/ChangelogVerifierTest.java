package dev.tandem.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate verify --changelog}'s lint: labels, the generated SQL and phase placement, offline. */
final class ChangelogVerifierTest {

    @Test
    void anExpandContractChangelogIsClean() {
        LintResult result = ChangelogVerifier.lint(Changelog.classpath("verify/safe.xml"), "postgresql");

        assertThat(result.findings()).isEmpty();
    }

    @Test
    void destructiveChangesInExpandAndWrongLabelsAreFindingsNamingFileAndChangeset() {
        LintResult result = ChangelogVerifier.lint(Changelog.classpath("verify/unsafe.xml"), "postgresql");

        assertThat(result.findings()).extracting(ChangelogVerifierTest::summary).containsExactly(
                "TDM402 verify/unsafe.xml:14 changeset 1-drop-code::t",
                "TDM118 verify/unsafe.xml:14 changeset 1-drop-code::t (dropColumn)",
                "TDM402 verify/unsafe.xml:17 changeset 2-rename-label::t",
                "TDM118 verify/unsafe.xml:17 changeset 2-rename-label::t (renameColumn)",
                "TDM402 verify/unsafe.xml:20 changeset 3-title-required::t",
                "TDM118 verify/unsafe.xml:20 changeset 3-title-required::t (addNotNullConstraint)",
                "TDM105 verify/unsafe.xml:20 changeset 3-title-required::t (addNotNullConstraint)",
                "TDM118 verify/unsafe.xml:23 changeset 4-title-index::t (createIndex)",
                "TDM101 verify/unsafe.xml:23 changeset 4-title-index::t (createIndex)",
                "TDM401 verify/unsafe.xml:28 changeset 5-forgot-the-label::t",
                "TDM401 verify/unsafe.xml:31 changeset 6-two-labels::t");
        Finding drop = result.findings().get(0);
        assertThat(drop.message()).startsWith("dropColumn in expand: ");
        assertThat(drop.safeAlternative()).contains("contract changeset");
        assertThat(result.findings().get(10).message()).startsWith("more than one phase label (expand, contract)");
    }

    @Test
    void eachFormatPointsAtTheChangesetsLine() {
        assertThat(ChangelogVerifier.lint(Changelog.classpath("changelogs/unlabelled.yaml"), "postgresql")
                .findings()).extracting(ChangelogVerifierTest::summary)
                .containsExactly("TDM119 changelogs/unlabelled.yaml:3 changeset labelled::t (createTable)",
                        "TDM401 changelogs/unlabelled.yaml:12 changeset forgot-the-label::t");
        assertThat(ChangelogVerifier.lint(Changelog.classpath("changelogs/double-labelled.sql"), "postgresql")
                .findings()).extracting(ChangelogVerifierTest::summary)
                .containsExactly("TDM119 changelogs/double-labelled.sql:3 changeset 1::t (sql)",
                        "TDM401 changelogs/double-labelled.sql:6 changeset 2::t");
    }

    @Test
    void aDirectiveWithAReasonTurnsRulesOffForTheFile() {
        LintResult result = ChangelogVerifier.lint(Changelog.classpath("verify/disabled.xml"), "postgresql");

        assertThat(result.findings()).isEmpty();
        assertThat(result.directives()).singleElement().satisfies(directive -> {
            assertThat(directive.ruleIds()).containsExactlyInAnyOrder("TDM106", "TDM402");
            assertThat(directive.reason()).startsWith("varchar(50) to varchar(200) rewrites nothing");
        });
    }

    @Test
    void theSampleProjectIsClean() {
        LintResult result = ChangelogVerifier.lint(Changelog.classpath("liquibase/shop-changelog.xml"), "postgresql");

        assertThat(result.findings()).isEmpty();
        assertThat(result.directives()).isNotEmpty();
    }

    @Test
    void aChangelogLiquibaseCannotReadIsTdm002(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("broken.xml"), "<databaseChangeLog xmlns=\""
                + "http://www.liquibase.org/xml/ns/dbchangelog\">\n  <changeSet id=\"1\" author=\"t\">\n");

        assertThat(ChangelogVerifier.lint(Changelog.file(file), "postgresql").findings()).singleElement()
                .satisfies(finding -> {
                    assertThat(finding.ruleId()).isEqualTo("TDM002");
                    assertThat(finding.message()).startsWith("Liquibase cannot read the changelog (");
                });
    }

    private static String summary(Finding finding) {
        return finding.ruleId() + " " + finding.file() + ":" + finding.line() + " " + finding.operation();
    }
}
