package dev.tandem.cli;

import dev.tandem.coordinator.state.BackfillProgress;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/** One JSON line per committed batch, with the rate and ETA measured since this run reached the table. */
final class JsonProgress implements ProgressOutput {
    private final PrintWriter out;
    private final Map<String, Start> starts = new HashMap<>();

    JsonProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void batchDone(BackfillProgress progress) {
        long now = System.nanoTime();
        Start start = starts.computeIfAbsent(progress.table(), table -> new Start(now, progress.rowsDone()));
        double seconds = (now - start.nanos()) / 1e9;
        Double rate = seconds > 0 ? (progress.rowsDone() - start.rows()) / seconds : null;
        Double eta = rate != null && rate > 0 && progress.estimate() > progress.rowsDone()
                ? (progress.estimate() - progress.rowsDone()) / rate : null;
        Json.print(out, new Event("progress", progress.table(), progress.rowsDone(), progress.estimate(), rate, eta,
                progress.done(), progress.pausedMillis(), progress.rangesDone(), progress.ranges()));
    }

    @Override
    public void paused(String table, String reason) {
        Json.print(out, new Paused("paused", table, reason));
    }

    private record Paused(String event, String table, String reason) {
    }

    private record Start(long nanos, long rows) {
    }

    /** @param estimate the table's estimated row count when its backfill started */
    private record Event(String event, String table, long rows, long estimate, Double rowsPerSecond,
                         Double etaSeconds, boolean done, long pausedMillis, int rangesDone, int ranges) {
    }
}
