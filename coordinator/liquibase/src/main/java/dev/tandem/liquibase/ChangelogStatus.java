package dev.tandem.liquibase;

import java.util.List;

/**
 * A changelog's changesets as {@code migrate status --changelog} shows them.
 *
 * @param tandemPhase the phase Tandem's state records for the changelog ({@code expanded}, ..., {@code baseline},
 *                    {@code rolled back}), or null when Tandem has not run it
 */
public record ChangelogStatus(String changelog, String tandemPhase, List<Entry> changeSets) {
    public ChangelogStatus {
        changeSets = List.copyOf(changeSets);
    }

    /**
     * One changeset.
     *
     * @param changeSet   {@code file::id::author}
     * @param label       its phase label, empty when it has none (history), two joined by a comma when it has two
     * @param applied     whether DATABASECHANGELOG has it as run
     * @param tandemPhase the phase Tandem's state recorded it under, or null
     */
    public record Entry(String changeSet, String label, boolean applied, String tandemPhase) {
    }
}
