package dev.tandem.cli;

import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.LintResult;
import dev.tandem.liquibase.Changelog;
import dev.tandem.liquibase.ChangelogVerifier;
import java.nio.file.Path;

/** {@code migrate verify --changelog}: the checks of a phase-labelled Liquibase changelog. */
final class ChangelogChecks {
    private ChangelogChecks() {
    }

    static VerifyChecks verify(ChangelogOption option) {
        Changelog changelog = option.changelog();
        LintResult lint = ChangelogVerifier.lint(changelog, "postgresql");
        VerifyChecks result = new VerifyChecks();
        result.add(inRepository(option, changelog.path()), "lint",
                lint.findings().stream().map(finding -> inRepository(option, finding)).toList());
        result.disabled(lint.directives());
        return result;
    }

    /** Findings name files as the working directory sees them, so CI annotations point into the repository. */
    private static Finding inRepository(ChangelogOption option, Finding finding) {
        return new Finding(finding.ruleId(), finding.severity(), inRepository(option, finding.file()), finding.line(),
                finding.operation(), finding.message(), finding.safeAlternative());
    }

    private static String inRepository(ChangelogOption option, String file) {
        Path resolved = option.root().resolve(file).normalize();
        Path here = Path.of("").toAbsolutePath();
        return resolved.isAbsolute() && resolved.startsWith(here) ? here.relativize(resolved).toString()
                : resolved.toString();
    }
}
