package dev.tandem.coordinator.verify;

import dev.tandem.coordinator.internal.verify.PostgresScratchServer;
import javax.sql.DataSource;

/**
 * A PostgreSQL server on which verify creates a database for each check and drops it at the end, so the
 * server's own databases are never touched. {@code tandem-verify-embedded} provides one that starts an embedded
 * PostgreSQL.
 */
public interface ScratchServer extends AutoCloseable {
    /** A new empty database, closed and dropped with the server. */
    DataSource newDatabase();

    /** Closes the databases' pools and drops the databases. */
    @Override
    void close();

    /** Scratch databases on the PostgreSQL server {@code server} names; the login must be allowed to create them. */
    static ScratchServer on(DatabaseLogin server) {
        return PostgresScratchServer.on(server);
    }
}
