package dev.tandem.liquibase;

import java.util.List;
import java.util.Locale;

/** The phase a changeset belongs to, named by its Liquibase label. */
public enum ChangelogPhase {
    EXPAND("expanded"),
    BACKFILL("backfilled"),
    CONTRACT("contracted");

    private final String done;

    ChangelogPhase(String done) {
        this.done = done;
    }

    /** The label that puts a changeset in this phase. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the changelog's state says once this phase has run. */
    public String done() {
        return done;
    }

    /** The phases whose changesets must all have run before this phase's may. */
    public List<ChangelogPhase> requires() {
        return List.of(values()).subList(0, ordinal());
    }

    /** The phase {@code label} names (any case), or null when it names none. */
    static ChangelogPhase ofLabel(String label) {
        for (ChangelogPhase phase : values()) {
            if (phase.label().equalsIgnoreCase(label.strip())) {
                return phase;
            }
        }
        return null;
    }
}
