package dev.tandem.cli;

import dev.tandem.coordinator.verify.Directive;
import dev.tandem.coordinator.verify.Finding;
import java.util.ArrayList;
import java.util.List;

/** Everything one {@code migrate verify} run checked: one entry per file and check, with what each found. */
final class VerifyChecks {
    /** One check of one file: "lint" or "database" (round trip and compatibility). */
    record Check(String file, String name, List<Finding> findings) {
        boolean passed() {
            return findings.isEmpty();
        }
    }

    private final List<Check> checks = new ArrayList<>();
    private final List<Directive> directives = new ArrayList<>();
    private final List<String> alreadyApplied = new ArrayList<>();

    void add(String file, String name, List<Finding> findings) {
        checks.add(new Check(file, name, List.copyOf(findings)));
    }

    void disabled(List<Directive> fileDirectives) {
        directives.addAll(fileDirectives);
    }

    /** A file whose migration the database named by --pending-on has already recorded: not verified. */
    void alreadyApplied(String file) {
        alreadyApplied.add(file);
    }

    List<String> alreadyApplied() {
        return alreadyApplied;
    }

    List<Check> checks() {
        return checks;
    }

    List<Directive> directives() {
        return directives;
    }

    List<Finding> findings() {
        return checks.stream().flatMap(check -> check.findings().stream()).toList();
    }
}
