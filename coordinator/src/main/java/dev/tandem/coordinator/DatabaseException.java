package dev.tandem.coordinator;

import java.sql.SQLException;

/** A statement failed in the database, or a lock could not be taken within the retries allowed. */
public final class DatabaseException extends TandemException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;

    public DatabaseException(String message, SQLException cause) {
        super(message, cause);
        this.sqlState = cause == null ? null : cause.getSQLState();
    }

    public DatabaseException(String message) {
        super(message);
        this.sqlState = null;
    }

    /** The SQLSTATE of the underlying failure, or null. */
    public String sqlState() {
        return sqlState;
    }

    @Override
    public ExitKind exitKind() {
        return ExitKind.DATABASE;
    }
}
