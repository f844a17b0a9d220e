package dev.tandem.coordinator.verify;

import dev.tandem.coordinator.internal.verify.ReportFormats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one verification checked: one entry per file and check, with what each found. It passed when no check
 * found anything; a failure of verify itself (bad input, no scratch database) is an exception, never a report.
 *
 * @param disabled       the directives that turned rules off, with their reasons
 * @param alreadyApplied files whose migration the pending-on database already records: not verified
 */
public record VerifyReport(List<Check> checks, List<Directive> disabled, List<String> alreadyApplied) {
    public VerifyReport {
        checks = List.copyOf(checks);
        disabled = List.copyOf(disabled);
        alreadyApplied = List.copyOf(alreadyApplied);
    }

    /** What a check looks at: the file alone, or the migration run on a scratch database. */
    public enum Kind {
        /** Rules read from the file: locks, phase placement, directives. */
        LINT,
        /** Expand, the application's statements, rollback, expand, backfill, contract on a scratch database. */
        DATABASE;

        /** As reports name it: "lint", "database". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One check of one file; it passed when it found nothing.
     *
     * @param databases which databases the file runs on, where the check tells ({@code Portability#describe}); else null
     */
    public record Check(String file, Kind kind, List<Finding> findings, String databases) {
        public Check {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(kind, "kind");
            findings = List.copyOf(findings);
        }

        public Check(String file, Kind kind, List<Finding> findings) {
            this(file, kind, findings, null);
        }

        public boolean passed() {
            return findings.isEmpty();
        }
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /** Every check's findings, in the order of the checks. */
    public List<Finding> findings() {
        return checks.stream().flatMap(check -> check.findings().stream()).toList();
    }

    /** Each finding with its rule, message and safe alternative, the directives, then a summary line. */
    public void writeText(PrintWriter out, boolean colours) {
        ReportFormats.text(this, out, colours);
    }

    /** One JSON document: clean, findings, already_applied, disabled, checks. */
    public void writeJson(PrintWriter out) {
        ReportFormats.json(this, out);
    }

    /** GitHub Actions workflow commands, so that each finding shows on the pull request's diff. */
    public void writeGithubAnnotations(PrintWriter out) {
        ReportFormats.github(this, out);
    }

    /** JUnit XML, one testcase per check; a check's findings are its failure. */
    public void writeJunit(Path file) throws IOException {
        ReportFormats.junit(this, file);
    }
}
