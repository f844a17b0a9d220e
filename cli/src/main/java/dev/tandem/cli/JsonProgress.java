package dev.tandem.cli;

import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;
import java.io.PrintWriter;

/** One JSON line per committed batch, with the rate and ETA measured since this run reached the table. */
final class JsonProgress implements ProgressOutput {
    private final PrintWriter out;
    private final BackfillRates rates = new BackfillRates();

    JsonProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void batchDone(BackfillProgress progress) {
        BackfillRates.Rate rate = rates.of(progress);
        Json.print(out, new Event("progress", progress.table(), progress.rowsDone(), progress.estimate(),
                rate.rowsPerSecond(), rate.etaSeconds(), progress.done(), progress.pausedMillis(),
                progress.rangesDone(), progress.ranges()));
    }

    @Override
    public void paused(String table, String reason) {
        Json.print(out, new Paused("paused", table, reason));
    }

    /** A change sent with {@code migrate control}, as the workers read it; nothing while none was ever sent. */
    @Override
    public void controlled(BackfillControl control) {
        if (control.changedAt() != null) {
            Json.print(out, new Controlled("control", control.paused(), control.maxRate(), control.workers()));
        }
    }

    private record Paused(String event, String table, String reason) {
    }

    private record Controlled(String event, boolean paused, Long maxRate, Integer workers) {
    }

    /** @param estimate the table's estimated row count when its backfill started */
    private record Event(String event, String table, long rows, long estimate, Double rowsPerSecond,
                         Double etaSeconds, boolean done, long pausedMillis, int rangesDone, int ranges) {
    }
}
