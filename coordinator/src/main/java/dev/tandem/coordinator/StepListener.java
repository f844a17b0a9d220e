package dev.tandem.coordinator;

/**
 * Told as a phase runs its steps, for metrics: when a step starts and when it commits, and whenever a statement
 * met a lock timeout, a deadlock or a serialization failure. Called on the thread that runs the step (a backfill
 * worker's for a batch); must be quick and must not throw.
 */
public interface StepListener {
    StepListener NONE = new StepListener() { };

    /** Step {@code step} of {@code migration} starts; a step recorded as done is skipped without a call. */
    default void stepStarted(String migration, String step) {
    }

    /** The step is recorded as done, after running {@code statements} statements. */
    default void stepDone(String migration, String step, int statements) {
    }

    /**
     * A statement of {@code step} ({@code backfill/TABLE} for a batch) did not get its lock in time or lost a
     * deadlock, at its {@code attempt}th try (from 1); {@code retried} says whether it is tried again after a pause,
     * or else the step fails.
     */
    default void lockConflict(String migration, String step, int attempt, boolean retried) {
    }
}
