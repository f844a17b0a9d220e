package dev.tandem.coordinator;

/** The migration file or one of its operations is wrong. Nothing was changed in the database. */
public final class InvalidMigrationException extends TandemException {
    private static final long serialVersionUID = 1L;

    public InvalidMigrationException(String message) {
        super(message);
    }

    public InvalidMigrationException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ExitKind exitKind() {
        return ExitKind.BAD_INPUT;
    }
}
