package dev.tandem.coordinator.internal.engine;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test-only: stops this process with SIGSTOP, as a paused VM or a long GC would, the first time it reaches the
 * point named by the system property {@code tandem.test.stopAt}: a step id ({@code expand/main}) after the
 * step's statements ran and before it is recorded and committed, or {@code backfill/TABLE} after a batch's
 * UPDATE and before its checkpoint and commit, or {@code switch/TABLE} (MariaDB) inside contract's first switch
 * of the table, after its first change and before the fence, the views and {@code UNLOCK TABLES}. The process
 * goes on when it gets SIGCONT. Does nothing without the property; nothing but tests sets it.
 */
public final class TestPause {
    private static final String POINT = System.getProperty("tandem.test.stopAt");
    private static final AtomicBoolean REACHED = new AtomicBoolean();

    private TestPause() {
    }

    public static void at(String point) {
        if (point.equals(POINT) && REACHED.compareAndSet(false, true)) {
            try {
                new ProcessBuilder("kill", "-STOP", String.valueOf(ProcessHandle.current().pid())).start().waitFor();
            } catch (IOException e) {
                throw new IllegalStateException("cannot stop at " + point + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
