package dev.tandem.coordinator.verify;

import java.util.Objects;

/**
 * One problem {@code migrate verify} found.
 *
 * @param line      1-based line in {@code file}, 0 when the finding concerns the whole file
 * @param operation e.g. "operation 2 (sql)", or null for a plain .sql file or a file-wide finding
 * @param message   what is wrong here, in this file's terms
 */
public record Finding(String ruleId, Severity severity, String file, int line, String operation, String message,
                      String safeAlternative) {
    public Finding {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(safeAlternative, "safeAlternative");
    }

    public static Finding of(Rule rule, String file, int line, String operation, String detail) {
        return new Finding(rule.id(), rule.severity(), file, line, operation,
                detail == null ? rule.problem() : detail + ": " + rule.problem(), rule.alternative());
    }
}
