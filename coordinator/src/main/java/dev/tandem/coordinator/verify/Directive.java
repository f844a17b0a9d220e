package dev.tandem.coordinator.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code # tandem:disable TDM101[, TDM105] reason: ...} (or {@code --} in .sql files): turns rules off for the
 * whole file. A comment, so migration files stay strictly parsed; the reason is required and reported.
 */
public record Directive(String file, int line, Set<String> ruleIds, String reason) {
    private static final Pattern DIRECTIVE = Pattern.compile("(?:#|--)\\s*tandem:disable\\b(.*)");
    private static final Pattern BODY = Pattern.compile("\\s+([A-Za-z0-9]+(?:\\s*,\\s*[A-Za-z0-9]+)*)\\s+reason:\\s*(\\S.*)");

    public Directive {
        ruleIds = Set.copyOf(ruleIds);
    }

    /** The directives of {@code text}; a malformed one becomes a {@link Rule#BAD_DIRECTIVE} finding. */
    static List<Directive> read(String file, String text, List<Finding> problems) {
        List<Directive> directives = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher directive = DIRECTIVE.matcher(lines[i]);
            if (!directive.find()) {
                continue;
            }
            Matcher body = BODY.matcher(directive.group(1));
            if (!body.matches()) {
                problems.add(Finding.of(Rule.BAD_DIRECTIVE, file, i + 1, null, "'" + lines[i].strip() + "'"));
                continue;
            }
            Set<String> ids = new TreeSet<>();
            for (String id : body.group(1).split("\\s*,\\s*")) {
                if (Rule.byId(id).isEmpty()) {
                    problems.add(Finding.of(Rule.BAD_DIRECTIVE, file, i + 1, null, "unknown rule '" + id + "'"));
                } else {
                    ids.add(Rule.byId(id).get().id());
                }
            }
            directives.add(new Directive(file, i + 1, ids, body.group(2).strip()));
        }
        return directives;
    }

    public boolean disables(Finding finding) {
        return ruleIds.contains(finding.ruleId());
    }
}
