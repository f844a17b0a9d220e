package dev.tandem.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.verify.AppStatements;
import dev.tandem.coordinator.verify.Directive;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.LintResult;
import dev.tandem.coordinator.verify.RoundTrip;
import dev.tandem.coordinator.verify.Rule;
import dev.tandem.liquibase.Changelog;
import dev.tandem.liquibase.ChangelogRoundTrip;
import dev.tandem.liquibase.ChangelogVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code migrate verify --changelog}: the checks of a phase-labelled Liquibase changelog, lint and (unless
 * {@code --no-database}) the round trip on a scratch database. A changelog whose labels are wrong is not run.
 */
final class ChangelogChecks {
    private ChangelogChecks() {
    }

    /**
     * Where the round trip runs: verify's {@code --url}, {@code --user} and {@code --schema-sql}; and the old and
     * the new version's statements it checks.
     */
    record Scratch(String url, String user, Path schemaSql, AppStatements oldVersion, AppStatements newVersion) {
    }

    /** Lints the changelog, then, unless {@code scratch} is null, runs its round trip on a scratch database. */
    static VerifyChecks verify(ChangelogOption option, Scratch scratch) {
        TandemCommand.quietLiquibase();
        Changelog changelog = option.changelog();
        LintResult lint = ChangelogVerifier.lint(changelog, "postgresql");
        VerifyChecks result = new VerifyChecks();
        String file = inRepository(option, changelog.path());
        result.add(file, "lint", lint.findings().stream().map(finding -> inRepository(option, finding)).toList());
        result.disabled(lint.directives().stream().map(directive -> new Directive(inRepository(option,
                directive.file()), directive.line(), directive.ruleIds(), directive.reason())).toList());
        boolean readable = lint.findings().stream().noneMatch(f -> f.ruleId().equals(Rule.INVALID_MIGRATION.id())
                || f.ruleId().equals(Rule.CHANGESET_PHASE_LABEL.id()));
        if (scratch != null && readable) {
            try (ScratchServer server = ScratchServer.start(scratch.url(), scratch.user())) {
                HikariDataSource database = server.newDatabase();
                if (scratch.schemaSql() != null) {
                    new RoundTrip(database).setup(scratch.schemaSql().normalize().toString(),
                            setup(scratch.schemaSql()));
                }
                result.add(file, "database", ChangelogRoundTrip.verify(database, changelog,
                        scratch.schemaSql() != null, scratch.oldVersion(), scratch.newVersion()).stream().map(finding -> inRepository(option, finding)).toList());
            }
        }
        return result;
    }

    private static String setup(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidMigrationException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
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
