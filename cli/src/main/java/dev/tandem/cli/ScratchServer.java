package dev.tandem.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresScratch;
import dev.tandem.coordinator.internal.sql.Secrets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A PostgreSQL server for {@code migrate verify}: the embedded one, or the one at {@code --url}. Every check
 * runs in a database created for it and dropped at the end, so the server's own databases are never touched.
 */
final class ScratchServer implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final String adminUrl;
    private final Properties credentials = new Properties();
    private final List<String> databases = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();

    private ScratchServer(EmbeddedPostgres embedded, String adminUrl, String user, String password) {
        this.embedded = embedded;
        this.adminUrl = adminUrl;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
    }

    /** The server at {@code url}, or an embedded one when {@code url} is null. */
    static ScratchServer start(String url, String user) {
        if (url != null) {
            DatabaseUrl server = DatabaseUrl.of(url);
            return new ScratchServer(null, server.jdbc(), server.userOr(user),
                    server.passwordOr(System.getenv(ConnectionOptions.PASSWORD_ENV)));
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new ScratchServer(postgres, postgres.getJdbcUrl("postgres", "postgres"), null, null);
        } catch (IOException e) {
            throw new DatabaseException("cannot start the embedded PostgreSQL: " + e.getMessage());
        }
    }

    /** A new empty database; closed and dropped with the server. */
    HikariDataSource newDatabase() {
        String name = "tandem_verify_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(adminUrl, credentials)) {
            PostgresScratch.createDatabase(admin, name);
        } catch (SQLException e) {
            throw new DatabaseException("cannot create a scratch database: " + Secrets.mask(e.getMessage())
                    + "; url " + Secrets.mask(adminUrl));
        }
        databases.add(name);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(withDatabase(adminUrl, name));
        config.setDataSourceProperties(credentials);
        config.setPoolName("tandem-verify");
        config.setMaximumPoolSize(4);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    private static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
        try {
            if (embedded != null) {
                embedded.close();
                return;
            }
            try (Connection admin = DriverManager.getConnection(adminUrl, credentials)) {
                for (String database : databases) {
                    PostgresScratch.dropDatabase(admin, database);
                }
            }
        } catch (IOException | SQLException e) {
            throw new DatabaseException("cannot clean up the scratch databases: " + Secrets.mask(e.getMessage()));
        }
    }
}
