package dev.tandem.dualwrite;

import dev.tandem.dualwrite.verify.DriftReport;

/**
 * Told what a guard, its instance registration and the {@link DualWriter}s of its {@link PhaseView} do, for metrics
 * ({@link dev.tandem.dualwrite.metrics.TandemMetrics}) or logs. Add one with
 * {@link PhaseGuard.Builder#listener(GuardListener)}. Called on the thread that did the work, the application's or
 * the heartbeat's: return quickly and throw nothing.
 */
public interface GuardListener {
    /** A check or start found that the database offers the application's version. */
    default void accepted(SchemaVersion version) {
    }

    /** A check or start was refused, or could not read Tandem's state in time. */
    default void refused(PhaseGuardException refusal) {
    }

    /** A started instance's heartbeat (its registration counts as the first) reached the database, or failed. */
    default void heartbeat(String instanceId, boolean succeeded) {
    }

    /** A started instance left the registry. */
    default void closed(String instanceId) {
    }

    /** A {@link DualWriter} wrote the shapes {@code phase} writes. */
    default void dualWritten(String migration, DualWritePhase phase) {
    }

    /** A {@link DualWriter}'s {@link DualWriter#checkDrift drift check} found {@code report}. */
    default void driftChecked(String migration, DriftReport report) {
    }
}
