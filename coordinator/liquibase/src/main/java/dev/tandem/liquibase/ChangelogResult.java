package dev.tandem.liquibase;

import java.util.List;

/** What one phase of a changelog did: the changesets it applied, as {@code file::id::author}. */
public record ChangelogResult(String changelog, ChangelogPhase phase, List<String> applied) {
    public ChangelogResult {
        applied = List.copyOf(applied);
    }
}
