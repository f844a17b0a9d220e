package dev.tandem.cli;

import dev.tandem.coordinator.state.BackfillProgress;
import java.text.DecimalFormat;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar per table on the terminal's stderr: rows, rate and ETA. It writes to the process's stderr
 * directly, as it needs the terminal's width.
 */
final class TerminalProgress implements ProgressOutput {
    private ProgressBar bar;
    private String table;

    @Override
    public void batchDone(BackfillProgress progress) {
        if (!progress.table().equals(table)) {
            close();
            table = progress.table();
            // The rate counts from this first batch on, so rows of an earlier, interrupted run do not inflate it.
            bar = new ProgressBarBuilder().setTaskName(table).setUnit(" rows", 1).showSpeed(new DecimalFormat("#"))
                    .setInitialMax(max(progress)).startsFrom(progress.rowsDone(), Duration.ZERO).build();
        }
        bar.maxHint(max(progress));
        bar.stepTo(progress.rowsDone());
        if (progress.done()) {
            close();
        }
    }

    /** The estimate, or -1 (no bar length, no ETA) while the table has never been analyzed. */
    private static long max(BackfillProgress progress) {
        return progress.estimate() > 0 ? Math.max(progress.estimate(), progress.rowsDone()) : -1;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        table = null;
    }
}
