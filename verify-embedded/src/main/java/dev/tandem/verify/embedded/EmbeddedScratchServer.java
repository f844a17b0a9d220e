package dev.tandem.verify.embedded;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.verify.DatabaseLogin;
import dev.tandem.coordinator.verify.ScratchServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;

/** Scratch databases on an embedded PostgreSQL, started for one verification and stopped at its end. */
public final class EmbeddedScratchServer implements ScratchServer {
    private final EmbeddedPostgres postgres;
    private final ScratchServer databases;

    private EmbeddedScratchServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.databases = ScratchServer.on(new DatabaseLogin(postgres.getJdbcUrl("postgres", "postgres"), null, null));
    }

    /** @throws DatabaseException when the embedded PostgreSQL does not start */
    public static ScratchServer start() {
        try {
            return new EmbeddedScratchServer(EmbeddedPostgres.builder().start());
        } catch (IOException e) {
            throw new DatabaseException("cannot start the embedded PostgreSQL: " + e.getMessage());
        }
    }

    @Override
    public DataSource newDatabase() {
        return databases.newDatabase();
    }

    @Override
    public void close() {
        try (postgres) {
            databases.close();
        } catch (IOException e) {
            throw new DatabaseException("cannot stop the embedded PostgreSQL: " + e.getMessage());
        }
    }
}
