package dev.tandem.cli;

import dev.tandem.coordinator.state.BackfillProgress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each table's backfill rate and time left, measured from this run's first batch of the table, so that rows of an
 * earlier, interrupted run do not inflate the rate.
 */
final class BackfillRates {
    private final Map<String, Start> starts = new ConcurrentHashMap<>();

    /**
     * @param rowsPerSecond null until some time has passed
     * @param etaSeconds    null while the rate or the table's estimate is unknown, or the estimate is reached
     */
    record Rate(Double rowsPerSecond, Double etaSeconds) {
    }

    Rate of(BackfillProgress progress) {
        long now = System.nanoTime();
        Start start = starts.computeIfAbsent(progress.table(), table -> new Start(now, progress.rowsDone()));
        double seconds = (now - start.nanos()) / 1e9;
        Double rate = seconds > 0 ? (progress.rowsDone() - start.rows()) / seconds : null;
        Double eta = rate != null && rate > 0 && progress.estimate() > progress.rowsDone()
                ? (progress.estimate() - progress.rowsDone()) / rate : null;
        return new Rate(rate, eta);
    }

    private record Start(long nanos, long rows) {
    }
}
