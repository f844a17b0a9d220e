package dev.tandem.cli;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.state.BackfillControl;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * Steers the running backfills of a migration, from any machine that reaches the database: through the state
 * tables, which every backfill process reads before each batch. A command of its own rather than options of
 * {@code backfill}, whose {@code --workers} and {@code --max-rate} set up the process that runs.
 */
@Command(name = "control", description = "Pause, resume, or change the rate or workers of a migration's running "
        + "backfills, in every process, from any machine: they take it on before their next batch. Recorded in the "
        + "history and shown by status; it holds for backfills started later too, until changed.")
final class ControlCommand extends TandemCommand {
    @Parameters(paramLabel = "NAME", arity = "0..1",
            description = "the migration (default: the one in flight, else the latest)")
    private String name;

    @Option(names = "--pause", description = "the workers stop after their current batch and wait, keeping their "
            + "key ranges; a backfill started while paused waits too")
    private boolean pause;

    @Option(names = "--resume", description = "the paused workers go on")
    private boolean resume;

    @Option(names = "--max-rate", paramLabel = "ROWS",
            description = "the most rows per second each backfill process fills, instead of its own --max-rate; 0 "
                    + "for no limit")
    private Long maxRate;

    @Option(names = "--workers", paramLabel = "N",
            description = "the workers each backfill process runs, instead of its own --workers: the ones above N "
                    + "end after their batch, new ones start at once (each needs a connection)")
    private Integer workers;

    @Option(names = "--reset", description = "the rate and workers back to each backfill process's own "
            + "--max-rate and --workers (pausing stays as it is)")
    private boolean reset;

    @Override
    protected int doCall() {
        UnaryOperator<BackfillControl> change = change();
        return withTandem(tandem -> {
            String migration = name != null ? name : tandem.currentMigration().orElseThrow(() ->
                    new StateConflictException("no migration has been expanded on schema '"
                            + tandem.config().schema() + "'; nothing to control"));
            BackfillControl control = tandem.control(migration, change);
            if (output.json()) {
                Json.print(out(), new Controlled(migration, control));
            } else {
                out().println(migration + ": backfill " + describe(control));
            }
            return ExitCodes.OK;
        });
    }

    /** What the options ask for, checked before connecting. */
    private UnaryOperator<BackfillControl> change() {
        if (pause && resume) {
            throw new ParameterException(spec.commandLine(), "--pause and --resume exclude each other");
        }
        if (reset && (maxRate != null || workers != null)) {
            throw new ParameterException(spec.commandLine(), "--reset excludes --max-rate and --workers");
        }
        if (!pause && !resume && !reset && maxRate == null && workers == null) {
            throw new ParameterException(spec.commandLine(),
                    "say what to change: --pause, --resume, --max-rate, --workers or --reset");
        }
        try {
            // checked here, with the same rules as when the change is applied
            new BackfillControl(false, maxRate, workers, null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return control -> {
            BackfillControl changed = pause || resume ? control.withPaused(pause) : control;
            if (reset) {
                return changed.withMaxRate(null).withWorkers(null);
            }
            changed = maxRate != null ? changed.withMaxRate(maxRate) : changed;
            return workers != null ? changed.withWorkers(workers) : changed;
        };
    }

    /** The control in words, as status shows it too. */
    static String describe(BackfillControl control) {
        return (control.paused() ? "paused" : "running") + "; max rate " + (control.maxRate() == null
                ? "each process's own (--max-rate)" : control.maxRate() == 0 ? "none" : control.maxRate() + " rows/s")
                + "; workers " + (control.workers() == null ? "each process's own (--workers)" : control.workers())
                + (control.changedAt() == null ? "" : "; changed " + control.changedAt());
    }

    private record Controlled(String migration, BackfillControl control) {
    }
}
