package dev.tandem.cli;

import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The forms a verify result is written in: text, JSON, JUnit XML and GitHub Actions annotations. */
final class VerifyReports {
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String GREEN = "\u001b[32m";
    private static final String RESET = "\u001b[0m";

    private VerifyReports() {
    }

    /** Colours only in a terminal, and never when NO_COLOR is set (https://no-color.org). */
    static boolean colours() {
        String noColor = System.getenv("NO_COLOR");
        return System.console() != null && (noColor == null || noColor.isEmpty());
    }

    static void text(VerifyChecks result, PrintWriter out, boolean colours) {
        for (Finding finding : result.findings()) {
            String severity = finding.severity().name().toLowerCase();
            String tint = finding.severity() == Severity.ERROR ? RED : YELLOW;
            out.println(location(finding) + ": " + (colours ? tint + severity + RESET : severity) + " "
                    + finding.ruleId() + (finding.operation() == null ? "" : " [" + finding.operation() + "]"));
            out.println("  " + finding.message());
            out.println("  safe alternative: " + finding.safeAlternative());
        }
        result.directives().forEach(directive -> out.println(directive.file() + ":" + directive.line()
                + ": disabled " + String.join(", ", directive.ruleIds()) + " (" + directive.reason() + ")"));
        result.alreadyApplied().forEach(file -> out.println(file + ": already applied, not verified"));
        long failed = result.checks().stream().filter(check -> !check.passed()).count();
        String summary = result.checks().size() + " checks, " + failed + " failed, " + result.findings().size()
                + " findings";
        out.println(colours ? (failed == 0 ? GREEN : RED) + summary + RESET : summary);
    }

    static void json(VerifyChecks result, PrintWriter out) {
        Json.print(out, Map.of("clean", result.findings().isEmpty(), "findings", result.findings(),
                "already_applied", result.alreadyApplied(),
                "disabled", result.directives(), "checks", result.checks().stream()
                        .map(check -> Map.of("file", check.file(), "check", check.name(), "passed", check.passed()))
                        .toList()));
    }

    /** GitHub Actions workflow commands: each finding shows on the pull request's diff. */
    static void github(VerifyChecks result, PrintWriter out) {
        for (Finding finding : result.findings()) {
            String level = finding.severity() == Severity.ERROR ? "error" : "warning";
            out.println("::" + level + " file=" + property(finding.file())
                    + (finding.line() > 0 ? ",line=" + finding.line() : "") + ",title=" + finding.ruleId() + "::"
                    + data(finding.message() + " Safe alternative: " + finding.safeAlternative()));
        }
    }

    /** One testcase per check; a check's findings are its failure. */
    static void junit(VerifyChecks result, Path file) throws IOException {
        List<VerifyChecks.Check> checks = result.checks();
        long failures = checks.stream().filter(check -> !check.passed()).count();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<testsuite name=\"migrate verify\" tests=\"").append(checks.size())
                .append("\" failures=\"").append(failures).append("\">\n");
        for (VerifyChecks.Check check : checks) {
            xml.append("  <testcase classname=\"").append(xml(check.file())).append("\" name=\"")
                    .append(xml(check.name())).append("\"");
            if (check.passed()) {
                xml.append("/>\n");
                continue;
            }
            String summary = check.findings().stream().map(Finding::ruleId).distinct()
                    .collect(Collectors.joining(", "));
            String body = check.findings().stream().map(f -> location(f) + " " + f.ruleId() + ": " + f.message()
                    + "\n  safe alternative: " + f.safeAlternative()).collect(Collectors.joining("\n"));
            xml.append(">\n    <failure message=\"").append(xml(summary)).append("\">")
                    .append(xml(body)).append("</failure>\n  </testcase>\n");
        }
        xml.append("</testsuite>\n");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
    }

    private static String location(Finding finding) {
        return finding.file() + (finding.line() > 0 ? ":" + finding.line() : "");
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String data(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String property(String text) {
        return data(text).replace(":", "%3A").replace(",", "%2C");
    }
}
