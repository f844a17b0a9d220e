package dev.tandem.coordinator.verify;

import dev.tandem.coordinator.internal.verify.UrlScratchServer;
import javax.sql.DataSource;

/**
 * A PostgreSQL or MariaDB server on which verify creates a database for each check and drops it at the end, so
 * the server's own databases are never touched. {@code tandem-verify-embedded} provides one that starts an
 * embedded PostgreSQL; MariaDB has no embedded server, so verify on MariaDB needs one named by URL.
 */
public interface ScratchServer extends AutoCloseable {
    /**
     * A new empty database, dropped with the server. It ends the use of the database made before it, whose
     * connections may be closed now.
     */
    DataSource newDatabase();

    /** Closes the databases' pools and drops the databases. */
    @Override
    void close();

    /**
     * Scratch databases on the server {@code server} names: PostgreSQL, or MariaDB for a {@code jdbc:mariadb:} or
     * {@code mariadb://} URL (there each scratch database also gets Tandem's version databases and a state
     * database of its own, {@code <database>_state}, all dropped with it). The login must be allowed to create
     * databases.
     */
    static ScratchServer on(DatabaseLogin server) {
        return UrlScratchServer.on(server);
    }
}
