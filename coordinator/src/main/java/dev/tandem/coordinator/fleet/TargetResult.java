package dev.tandem.coordinator.fleet;

/**
 * What one target of a fleet run came to.
 *
 * @param value   what the work returned, when it ran to its end
 * @param failure why it failed; its message is masked like every Tandem message
 */
public record TargetResult<T>(FleetTarget target, Outcome outcome, T value, RuntimeException failure) {

    public enum Outcome {
        /** The work ran to its end. */
        DONE,
        /** The work threw. */
        FAILED,
        /** Not started: a failure stopped its wave or an earlier one. */
        NOT_STARTED
    }
}
