package dev.tandem.coordinator.internal.operation;

/** An operation does not fit the schema it is applied to. The engine adds the file and operation. */
public final class OperationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OperationException(String message) {
        super(message);
    }
}
