package dev.tandem.coordinator.internal.verify;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresScratch;
import dev.tandem.coordinator.internal.sql.DatabaseUrl;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.verify.DatabaseLogin;
import dev.tandem.coordinator.verify.ScratchServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;

/** Scratch databases on a PostgreSQL server reached with an administrator's login: created, then dropped at close. */
public final class PostgresScratchServer implements ScratchServer {
    private final String adminUrl;
    private final Properties credentials = new Properties();
    private final List<String> databases = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();

    private PostgresScratchServer(String adminUrl, String user, String password) {
        this.adminUrl = adminUrl;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
    }

    public static PostgresScratchServer on(DatabaseLogin server) {
        DatabaseUrl url = DatabaseUrl.of(server.url());
        return new PostgresScratchServer(url.jdbc(), url.userOr(server.user()), url.passwordOr(server.password()));
    }

    @Override
    public DataSource newDatabase() {
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
        try (Connection admin = DriverManager.getConnection(adminUrl, credentials)) {
            for (String database : databases) {
                PostgresScratch.dropDatabase(admin, database);
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot clean up the scratch databases: " + Secrets.mask(e.getMessage()));
        }
    }
}
