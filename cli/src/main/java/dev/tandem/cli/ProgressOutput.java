package dev.tandem.cli;

import dev.tandem.coordinator.BackfillListener;
import java.io.PrintWriter;

/** Where backfill progress goes; closed when the backfill ends, however it ends. */
interface ProgressOutput extends BackfillListener, AutoCloseable {
    ProgressOutput NONE = progress -> { };

    /**
     * JSON lines on stdout with {@code --output json}; bars on stderr when a person is watching a terminal;
     * nothing otherwise, so logs and pipes only get the result.
     */
    static ProgressOutput choose(boolean json, PrintWriter out) {
        if (json) {
            return new JsonProgress(out);
        }
        return System.console() != null ? new TerminalProgress() : NONE;
    }

    @Override
    default void close() {
    }
}
