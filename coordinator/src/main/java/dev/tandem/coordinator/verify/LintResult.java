package dev.tandem.coordinator.verify;

import java.util.List;

/** What linting one file found, and the directives that turned rules off in it (with their reasons). */
public record LintResult(List<Finding> findings, List<Directive> directives) {
    public LintResult {
        findings = List.copyOf(findings);
        directives = List.copyOf(directives);
    }
}
