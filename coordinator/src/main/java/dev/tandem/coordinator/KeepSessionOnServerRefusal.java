package dev.tandem.coordinator;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * For a HikariCP pool Tandem runs on ({@code HikariConfig.setExceptionOverrideClassName}): keeps a connection the
 * server refused a statement on with SQLSTATE 0A000, "feature not supported". HikariCP takes that state for a broken
 * connection and closes it, but a server that sends it with an error code of its own (MariaDB's 1845, "ALGORITHM=INSTANT
 * is not supported for this operation") has only refused the statement: the session, and Tandem's state read on it
 * next, are fine. Closing it turned such a refusal into "Connection is closed" and a retried phase.
 */
public final class KeepSessionOnServerRefusal implements SQLExceptionOverride {
    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return "0A000".equals(e.getSQLState()) && e.getErrorCode() > 0 ? Override.DO_NOT_EVICT : Override.CONTINUE_EVICT;
    }
}
