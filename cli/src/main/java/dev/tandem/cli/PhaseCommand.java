package dev.tandem.cli;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.fleet.FleetTarget;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import picocli.CommandLine.Mixin;

/**
 * A command that runs a phase of a migration (expand, backfill, contract, rollback): with hooks before and after
 * it, and metrics served while it runs and pushed at its end.
 */
abstract class PhaseCommand extends TandemCommand {
    @Mixin
    MetricsOptions metrics;

    @Mixin
    HookOptions hooks;

    private PhaseObserver observer;

    @Override
    protected final int doCall() throws Exception {
        try (PhaseObserver watching = new PhaseObserver(spec.name(), metrics, hooks, err())) {
            observer = watching;
            int code = runPhase();
            watching.requirePostHooksPassed();
            return code;
        }
    }

    /** Runs the command's phase; returns an {@link ExitCodes} value. */
    protected abstract int runPhase() throws Exception;

    @Override
    protected final TandemConfig.Builder watched(TandemConfig.Builder config, DataSource database,
                                                 FleetTarget target) {
        return observer.watch(config, database, target);
    }

    /** Runs {@code work}, the phase of {@code migration}, between its hooks and with its metrics. */
    protected final PhaseResult observed(Tandem tandem, String migration, Supplier<PhaseResult> work) {
        return observed(tandem, migration, work, Function.identity());
    }

    /** Runs {@code work}, {@code phase} of {@code migration}, between that phase's hooks and with its metrics. */
    protected final PhaseResult observed(PhaseKind phase, Tandem tandem, String migration,
                                         Supplier<PhaseResult> work) {
        return observer.run(phase.label(), tandem, migration, work, Function.identity());
    }

    @Override
    protected final <T> T observed(Tandem tandem, String migration, Supplier<T> work,
                                   Function<T, PhaseResult> summary) {
        return observer.run(tandem, migration, work, summary);
    }

    /** {@code progress}, and each batch and throttle pause also reported to the metrics and hooks. */
    protected final BackfillListener observing(Tandem tandem, String migration, BackfillListener progress) {
        return observer.backfill(tandem, migration, progress);
    }
}
