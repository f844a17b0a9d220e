package dev.tandem.coordinator;

/**
 * Root of every exception Tandem throws. Unchecked, like Jdbi's. Messages never contain secrets:
 * connection URLs are passed through {@link dev.tandem.coordinator.internal.sql.Secrets#mask(String)} first.
 */
public abstract class TandemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected TandemException(String message) {
        super(message);
    }

    protected TandemException(String message, Throwable cause) {
        super(message, cause);
    }
}
