package dev.tandem.liquibase;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.StateConflictException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import liquibase.Labels;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;

/**
 * The changesets of a changelog sorted by their phase label. Every changeset that has not run yet must carry
 * exactly one of {@code expand}, {@code backfill}, {@code contract}; changesets that ran before the project
 * adopted Tandem may carry none. Other labels are left alone.
 */
final class LabelledChangeSets {
    private final Map<ChangelogPhase, List<ChangeSet>> byPhase = new EnumMap<>(ChangelogPhase.class);
    private final List<RanChangeSet> ran;

    private LabelledChangeSets(List<RanChangeSet> ran) {
        this.ran = ran;
        for (ChangelogPhase phase : ChangelogPhase.values()) {
            byPhase.put(phase, new ArrayList<>());
        }
    }

    /** @throws InvalidMigrationException naming every changeset with no phase label (and not run) or with two */
    static LabelledChangeSets of(DatabaseChangeLog changelog, List<RanChangeSet> ran) {
        LabelledChangeSets sets = new LabelledChangeSets(ran);
        List<String> problems = new ArrayList<>();
        for (ChangeSet changeSet : changelog.getChangeSets()) {
            List<ChangelogPhase> phases = phasesOf(changeSet.getLabels());
            if (phases.size() == 1) {
                sets.byPhase.get(phases.get(0)).add(changeSet);
            } else if (phases.size() > 1) {
                problems.add(describe(changeSet) + " has more than one phase label ("
                        + phases.stream().map(ChangelogPhase::label).collect(Collectors.joining(", ")) + ")");
            } else if (!sets.hasRun(changeSet)) {
                problems.add(describe(changeSet) + " has no phase label");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidMigrationException(String.join("; ", problems) + ". Give every changeset that has not "
                    + "run yet exactly one of the labels expand, backfill, contract; nothing was applied");
        }
        return sets;
    }

    /** The changesets without a phase label that have not run: history {@link LiquibasePhases#baseline} marks. */
    static List<ChangeSet> unlabelledPending(DatabaseChangeLog changelog, List<RanChangeSet> ran) {
        LabelledChangeSets sets = new LabelledChangeSets(ran);
        return changelog.getChangeSets().stream()
                .filter(c -> phasesOf(c.getLabels()).isEmpty() && !sets.hasRun(c)).toList();
    }

    static List<ChangelogPhase> phasesOf(Labels labels) {
        List<ChangelogPhase> phases = new ArrayList<>();
        if (labels != null) {
            for (String label : labels.getLabels()) {
                ChangelogPhase phase = ChangelogPhase.ofLabel(label);
                if (phase != null && !phases.contains(phase)) {
                    phases.add(phase);
                }
            }
        }
        return phases;
    }

    /**
     * @throws StateConflictException when changesets of a phase {@code phase} needs first have not run, naming
     *                                them
     */
    void requireRunBefore(ChangelogPhase phase, String changelog) {
        if (pending(phase).isEmpty()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        ChangelogPhase first = null;
        for (ChangelogPhase required : phase.requires()) {
            for (ChangeSet changeSet : pending(required)) {
                missing.add(describe(changeSet) + " (" + required.label() + ")");
                first = first == null ? required : first;
            }
        }
        if (first != null) {
            throw new StateConflictException(changelog + ": " + phase.label() + " refused: these changesets must run "
                    + "first: " + String.join(", ", missing) + ". Run migrate " + first.label() + " --changelog first; "
                    + "nothing was applied");
        }
    }

    /** The changesets of {@code phase} that have not run yet. */
    List<ChangeSet> pending(ChangelogPhase phase) {
        return byPhase.get(phase).stream().filter(c -> !hasRun(c)).toList();
    }

    /** The changesets of {@code phase} that have run. */
    List<ChangeSet> ran(ChangelogPhase phase) {
        return byPhase.get(phase).stream().filter(this::hasRun).toList();
    }

    /** The DATABASECHANGELOG rows in {@code nowRan} of the changesets of {@code phase}. */
    List<RanChangeSet> applied(ChangelogPhase phase, List<RanChangeSet> nowRan) {
        return nowRan.stream().filter(r -> byPhase.get(phase).stream().anyMatch(r::isSameAs)).toList();
    }

    private boolean hasRun(ChangeSet changeSet) {
        return ran.stream().anyMatch(r -> r.isSameAs(changeSet));
    }

    static String describe(ChangeSet changeSet) {
        return changeSet.getFilePath() + "::" + changeSet.getId() + "::" + changeSet.getAuthor();
    }
}
