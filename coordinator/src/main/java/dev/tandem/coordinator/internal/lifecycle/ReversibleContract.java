package dev.tandem.coordinator.internal.lifecycle;

import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.internal.engine.PlanBuilder;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import java.sql.SQLException;

/**
 * The steps of a contract that can be undone: {@code contract --keep} drops only the old version's schema of views
 * and leaves the tables, the old columns and the sync triggers as they are ({@link Phase#CONTRACTED_KEPT});
 * {@code revert} makes the old version's views again and returns to {@link Phase#EXPANDED}. Purge is contract
 * from the kept phase. Keep and revert may alternate, so each forgets the other's steps before it runs its own.
 */
final class ReversibleContract {
    private final Run run;
    private final MigrationRecord record;
    private final PlanBuilder builder;

    ReversibleContract(Run run, MigrationRecord record, PlanBuilder builder) {
        this.run = run;
        this.record = record;
        this.builder = builder;
    }

    /** Runs keep's steps; the migration is already {@link Phase#CONTRACTED_KEPT} (moved there past the gate). */
    PhaseResult keep() throws SQLException {
        run.store().forgetSteps(run.connection(), run.schema(), record.name(), PhaseKind.REVERT);
        int statements = run.runner(record).run(builder.keep());
        run.store().setPhase(run.connection(), run.schema(), record.name(), Phase.CONTRACTED_KEPT, "kept", null);
        return new PhaseResult(record.name(), Phase.CONTRACTED_KEPT.label(), "contracted, old shape kept", statements,
                0);
    }

    /** Brings the old version back over the kept shape; both versions run again. */
    PhaseResult revert() throws SQLException {
        run.store().forgetSteps(run.connection(), run.schema(), record.name(), PhaseKind.KEEP);
        int statements = run.runner(record).run(builder.revert());
        run.store().setPhase(run.connection(), run.schema(), record.name(), Phase.EXPANDED, "reverted", null);
        return new PhaseResult(record.name(), Phase.EXPANDED.label(), "reverted: both versions run", statements, 0);
    }
}
