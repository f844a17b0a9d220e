package dev.tandem.coordinator.testing;

import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.state.Phase;
import java.util.List;

/**
 * Migrations in flight one on top of another (stacked versions, base → A → A+B), recorded in Tandem's state as a
 * stacked expand records them, for the tests of what reads that state (the guard, the instance gate, status) until
 * the coordinator expands a migration while another is in flight. {@link #expandOnTop} expands through Tandem while
 * the migrations in flight are recorded complete, so that the new migration's version builds on the newest of them
 * (its recorded previous version schema), and then records them back in their phases. Each expand sees the tables,
 * not the other migrations' views: give the migrations of a stack different tables.
 */
public final class RecordedStack {
    private final Tandem tandem;
    private final StatementsAsVersion db;

    public RecordedStack(Tandem tandem, StatementsAsVersion db) {
        this.tandem = tandem;
        this.db = db;
    }

    /** Expands {@code migration}, its version built on that of the newest migration in flight. */
    public void expandOnTop(Migration migration) {
        List<MigrationStatus> inFlight = tandem.status().stream().filter(m -> Phase.of(m.phase()).active()).toList();
        inFlight.forEach(m -> record(m.name(), Phase.COMPLETE));
        try {
            tandem.expand(migration);
        } finally {
            inFlight.forEach(m -> record(m.name(), Phase.of(m.phase())));
        }
    }

    /** Records {@code migration} in {@code phase}, without running anything. */
    public void record(String migration, Phase phase) {
        db.execute("UPDATE tandem.migrations SET phase = '" + phase.label() + "' WHERE target_schema = '"
                + tandem.config().schema() + "' AND name = '" + migration + "'");
    }
}
