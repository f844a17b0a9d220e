package dev.tandem.coordinator.verify;

import java.util.List;

/**
 * What linting one file found, and the directives that turned rules off in it (with their reasons).
 *
 * @param databases for a valid migration file, which databases it runs on ({@code Portability#describe}); else null
 */
public record LintResult(List<Finding> findings, List<Directive> directives, String databases) {
    public LintResult {
        findings = List.copyOf(findings);
        directives = List.copyOf(directives);
    }

    public LintResult(List<Finding> findings, List<Directive> directives) {
        this(findings, directives, null);
    }
}
