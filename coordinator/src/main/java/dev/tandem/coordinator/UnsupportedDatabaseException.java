package dev.tandem.coordinator;

/** The database behind the connection is not one Tandem has a dialect for. */
public final class UnsupportedDatabaseException extends TandemException {
    private static final long serialVersionUID = 1L;

    public UnsupportedDatabaseException(String message) {
        super(message);
    }

    @Override
    public ExitKind exitKind() {
        return ExitKind.DATABASE;
    }
}
