package dev.tandem.coordinator;

/**
 * The request does not fit the recorded state: a phase asked for out of order, a changed file for an
 * applied migration, another run holding the lock.
 */
public final class StateConflictException extends TandemException {
    private static final long serialVersionUID = 1L;

    public StateConflictException(String message) {
        super(message);
    }

    @Override
    public ExitKind exitKind() {
        return ExitKind.STATE_CONFLICT;
    }
}
