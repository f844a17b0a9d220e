package dev.tandem.coordinator.testing;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.state.Phase;

/**
 * A phase of a migration in a stack (base → A → A+B) recorded in Tandem's state without running it, for the tests
 * of what reads that state (the guard, the instance gate, status) in a phase no step of the test reaches.
 */
public final class RecordedStack {
    private final Tandem tandem;
    private final StatementsAsVersion db;

    public RecordedStack(Tandem tandem, StatementsAsVersion db) {
        this.tandem = tandem;
        this.db = db;
    }

    /** Records {@code migration} in {@code phase}, without running anything. */
    public void record(String migration, Phase phase) {
        db.execute("UPDATE tandem.migrations SET phase = '" + phase.label() + "' WHERE target_schema = '"
                + tandem.config().schema() + "' AND name = '" + migration + "'");
    }
}
