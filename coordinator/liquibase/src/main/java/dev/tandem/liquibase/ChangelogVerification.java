package dev.tandem.liquibase;

import dev.tandem.coordinator.internal.verify.RoundTrip;
import dev.tandem.coordinator.internal.verify.VerifyInputs;
import dev.tandem.coordinator.verify.Directive;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.LintResult;
import dev.tandem.coordinator.verify.Rule;
import dev.tandem.coordinator.verify.ScratchServer;
import dev.tandem.coordinator.verify.Verification;
import dev.tandem.coordinator.verify.VerifyReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@link Verification} of a phase-labelled Liquibase changelog: lint and, with a scratch server, the round trip
 * on a scratch database (the verification's schema SQL and application statements; its applied migrations and
 * pending-on do not apply to a changelog). A changelog whose labels are wrong is not run.
 */
public final class ChangelogVerification {
    private ChangelogVerification() {
    }

    /**
     * Findings name files relative to the working directory, so CI annotations point into the repository.
     *
     * @param searchPath where Liquibase looks for the changelog and its includes; null for the changelog's directory
     */
    public static VerifyReport verify(Verification verification, Path changelogFile, Path searchPath) {
        Path root = searchPath == null ? changelogFile.toAbsolutePath().normalize().getParent() : searchPath;
        Changelog changelog = Changelog.file(changelogFile, root);
        LintResult lint = ChangelogVerifier.lint(changelog, "postgresql");
        String file = inRepository(root, changelog.path());
        List<VerifyReport.Check> checks = new ArrayList<>();
        checks.add(new VerifyReport.Check(file, VerifyReport.Kind.LINT, inRepository(root, lint.findings())));
        List<Directive> disabled = lint.directives().stream().map(directive -> new Directive(inRepository(root,
                directive.file()), directive.line(), directive.ruleIds(), directive.reason())).toList();
        boolean readable = lint.findings().stream().noneMatch(f -> f.ruleId().equals(Rule.INVALID_MIGRATION.id())
                || f.ruleId().equals(Rule.CHANGESET_PHASE_LABEL.id()));
        if (verification.scratchServer() != null && readable) {
            try (ScratchServer server = verification.scratchServer().get()) {
                DataSource database = server.newDatabase();
                Path schemaSql = verification.schemaSql();
                if (schemaSql != null) {
                    new RoundTrip(database).setup(VerifyInputs.display(schemaSql),
                            VerifyInputs.schemaSql(verification));
                }
                checks.add(new VerifyReport.Check(file, VerifyReport.Kind.DATABASE, inRepository(root,
                        ChangelogRoundTrip.verify(database, changelog, schemaSql != null,
                                VerifyInputs.oldVersion(verification), VerifyInputs.newVersion(verification)))));
            }
        }
        return new VerifyReport(checks, disabled, List.of());
    }

    private static List<Finding> inRepository(Path root, List<Finding> findings) {
        return findings.stream().map(finding -> new Finding(finding.ruleId(), finding.severity(),
                inRepository(root, finding.file()), finding.line(), finding.operation(), finding.message(),
                finding.safeAlternative())).toList();
    }

    private static String inRepository(Path root, String file) {
        Path resolved = root.resolve(file).normalize();
        Path here = Path.of("").toAbsolutePath();
        return resolved.isAbsolute() && resolved.startsWith(here) ? here.relativize(resolved).toString()
                : resolved.toString();
    }
}
