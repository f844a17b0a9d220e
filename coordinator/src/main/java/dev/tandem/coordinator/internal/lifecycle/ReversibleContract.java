package dev.tandem.coordinator.internal.lifecycle;

import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.internal.engine.PlanBuilder;
import dev.tandem.coordinator.internal.engine.StepRunner;
import dev.tandem.coordinator.internal.state.StateStore;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A contract that can be undone: {@code contract --keep} drops only the old version's schema of views and leaves
 * the tables, the old columns and the sync triggers as they are ({@link Phase#CONTRACTED_KEPT}); {@code revert}
 * makes the old version's views again and returns to {@link Phase#EXPANDED}; {@code purge} is contract from the
 * kept phase. Keep and revert may alternate, so each forgets the other's steps before it runs its own.
 */
public final class ReversibleContract {
    private static final String KEEP = "keep";
    private static final String REVERT = "revert";

    private final Connection connection;
    private final StateStore store;
    private final String schema;
    private final MigrationRecord record;
    private final PlanBuilder builder;
    private final StepRunner runner;

    public ReversibleContract(Connection connection, StateStore store, MigrationRecord record, PlanBuilder builder,
                              StepRunner runner) {
        this.connection = connection;
        this.store = store;
        this.schema = record.targetSchema();
        this.record = record;
        this.builder = builder;
        this.runner = runner;
    }

    /**
     * Whether {@code contract --keep} starts in {@code phase}, and so must first pass contract's gates (a complete
     * backfill, no live instance of the old version); false when it continues a kept contract.
     *
     * @throws StateConflictException when the phase does not allow it
     */
    public static boolean keepStarts(String name, Phase phase) {
        String is = "migration '" + name + "' is " + phase.label();
        return switch (phase) {
            case EXPANDED -> true;
            case CONTRACTED_KEPT -> false;
            case CONTRACTING, COMPLETE -> throw new StateConflictException(is + "; contract has begun to drop the old "
                    + "shape, which can no longer be kept: run contract to finish it");
            case EXPANDING, ROLLING_BACK, ROLLED_BACK -> throw new StateConflictException(is
                    + "; contract needs a finished expand");
        };
    }

    /** What a plain contract reports on a kept contract: it leaves the choice between revert and purge alone. */
    public static PhaseResult keptAlready(String name) {
        return new PhaseResult(name, Phase.CONTRACTED_KEPT.label(), "contracted, old shape kept: run purge to drop it, "
                + "or revert to bring the old version back", 0, 0);
    }

    /** Purge finishes a kept contract only. */
    public static StateConflictException nothingKept(String name, Phase phase) {
        return new StateConflictException("migration '" + name + "' is " + phase.label() + "; purge finishes a "
                + "contract kept with contract --keep: run contract (or contract --keep) first");
    }

    /**
     * Refuses to roll back a purge that has begun: keep dropped the old version's views, which rollback does not make
     * again, so a purge can only be finished. (Keep's steps stay recorded until a revert forgets them.)
     */
    public static void requireNotPurging(Connection connection, StateStore store, MigrationRecord record)
            throws SQLException {
        for (String step : new String[] {KEEP + "/main", KEEP + "/main/0"}) {
            if (store.stepDone(connection, record.targetSchema(), record.name(), step)) {
                throw new StateConflictException("migration '" + record.name() + "' is being purged after contract "
                        + "--keep, which dropped the old version's views; finish it with purge");
            }
        }
    }

    /** Runs keep's steps; the migration is already {@link Phase#CONTRACTED_KEPT} (moved there past the gates). */
    public PhaseResult keep() throws SQLException {
        store.forgetSteps(connection, schema, record.name(), REVERT);
        int statements = runner.run(builder.keep());
        store.setPhase(connection, schema, record.name(), Phase.CONTRACTED_KEPT, "kept", null);
        return new PhaseResult(record.name(), Phase.CONTRACTED_KEPT.label(), "contracted, old shape kept", statements,
                0);
    }

    /** Brings the old version back over the kept shape; both versions run again. */
    public PhaseResult revert() throws SQLException {
        String is = "migration '" + record.name() + "' is " + record.phase().label();
        switch (record.phase()) {
            case EXPANDED:
                return new PhaseResult(record.name(), Phase.EXPANDED.label(), "nothing to revert: both versions run",
                        0, 0);
            case CONTRACTED_KEPT:
                break;
            case CONTRACTING, COMPLETE:
                throw new StateConflictException(is + "; the old shape is dropped, or being dropped, and cannot be "
                        + "brought back: only a contract run with --keep can be reverted");
            default:
                throw new StateConflictException(is + "; only a contract run with --keep can be reverted");
        }
        store.forgetSteps(connection, schema, record.name(), KEEP);
        int statements = runner.run(builder.revert());
        store.setPhase(connection, schema, record.name(), Phase.EXPANDED, "reverted", null);
        return new PhaseResult(record.name(), Phase.EXPANDED.label(), "reverted: both versions run", statements, 0);
    }
}
