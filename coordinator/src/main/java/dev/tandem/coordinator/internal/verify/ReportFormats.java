package dev.tandem.coordinator.internal.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.Severity;
import dev.tandem.coordinator.verify.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The forms a verify report is written in: text, JSON, JUnit XML and GitHub Actions annotations. */
public final class ReportFormats {
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String GREEN = "\u001b[32m";
    private static final String RESET = "\u001b[0m";
    /** snake_case keys, like the migration files and the CLI's other JSON output. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private ReportFormats() {
    }

    public static void text(VerifyReport report, PrintWriter out, boolean colours) {
        for (Finding finding : report.findings()) {
            String severity = finding.severity().name().toLowerCase(Locale.ROOT);
            String tint = finding.severity() == Severity.ERROR ? RED : YELLOW;
            out.println(location(finding) + ": " + (colours ? tint + severity + RESET : severity) + " "
                    + finding.ruleId() + (finding.operation() == null ? "" : " [" + finding.operation() + "]"));
            out.println("  " + finding.message());
            out.println("  safe alternative: " + finding.safeAlternative());
        }
        report.disabled().forEach(directive -> out.println(directive.file() + ":" + directive.line()
                + ": disabled " + String.join(", ", directive.ruleIds()) + " (" + directive.reason() + ")"));
        report.alreadyApplied().forEach(file -> out.println(file + ": already applied, not verified"));
        report.checks().stream().filter(check -> check.databases() != null)
                .forEach(check -> out.println(check.file() + ": " + check.databases()));
        long failed = report.checks().stream().filter(check -> !check.passed()).count();
        String summary = report.checks().size() + " checks, " + failed + " failed, " + report.findings().size()
                + " findings";
        out.println(colours ? (failed == 0 ? GREEN : RED) + summary + RESET : summary);
        out.flush();
    }

    public static void json(VerifyReport report, PrintWriter out) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("clean", report.findings().isEmpty());
        document.put("findings", report.findings());
        document.put("already_applied", report.alreadyApplied());
        document.put("disabled", report.disabled());
        document.put("checks", report.checks().stream().map(ReportFormats::check).toList());
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the verify report as JSON", e);
        }
        out.flush();
    }

    private static Map<String, Object> check(VerifyReport.Check check) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("file", check.file());
        fields.put("check", check.kind().label());
        fields.put("passed", check.passed());
        if (check.databases() != null) {
            fields.put("databases", check.databases());
        }
        return fields;
    }

    public static void github(VerifyReport report, PrintWriter out) {
        for (Finding finding : report.findings()) {
            String level = finding.severity() == Severity.ERROR ? "error" : "warning";
            out.println("::" + level + " file=" + property(finding.file())
                    + (finding.line() > 0 ? ",line=" + finding.line() : "") + ",title=" + finding.ruleId() + "::"
                    + data(finding.message() + " Safe alternative: " + finding.safeAlternative()));
        }
        out.flush();
    }

    public static void junit(VerifyReport report, Path file) throws IOException {
        List<VerifyReport.Check> checks = report.checks();
        long failures = checks.stream().filter(check -> !check.passed()).count();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<testsuite name=\"migrate verify\" tests=\"").append(checks.size())
                .append("\" failures=\"").append(failures).append("\">\n");
        for (VerifyReport.Check check : checks) {
            xml.append("  <testcase classname=\"").append(xml(check.file())).append("\" name=\"")
                    .append(xml(check.kind().label())).append("\"");
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
