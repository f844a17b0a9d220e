package dev.tandem.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated apps of one test while Tandem works: {@link #letRun} is Tandem's {@code afterStep} hook and
 * gives every running app a few actions between any two steps (every few backfill batches), so their writes
 * land between the trigger's creation, the backfill's batches and the contract's steps.
 */
final class RunningApps implements AutoCloseable {
    private final int actionsBetweenSteps;
    private final int batchesBetweenPauses;
    private final List<SimulatedApp> running = new CopyOnWriteArrayList<>();
    private final AtomicInteger batches = new AtomicInteger();

    RunningApps(int actionsBetweenSteps, int batchesBetweenPauses) {
        this.actionsBetweenSteps = actionsBetweenSteps;
        this.batchesBetweenPauses = batchesBetweenPauses;
    }

    SimulatedApp start(SimulatedApp app) {
        running.add(app);
        return app;
    }

    void stop(SimulatedApp app) throws InterruptedException {
        running.remove(app);
        app.stop();
    }

    void letRun(String step) {
        if (step.startsWith("backfill/") && batches.incrementAndGet() % batchesBetweenPauses != 0) {
            return;
        }
        try {
            for (SimulatedApp app : running) {
                app.awaitMoreActions(actionsBetweenSteps);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Apps still running after a failed assertion are stopped before their database goes. */
    @Override
    public void close() throws InterruptedException {
        for (SimulatedApp app : running) {
            stop(app);
        }
    }
}
