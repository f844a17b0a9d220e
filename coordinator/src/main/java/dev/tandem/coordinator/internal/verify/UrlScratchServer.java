package dev.tandem.coordinator.internal.verify;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.KeepSessionOnServerRefusal;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbScratch;
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

/**
 * Scratch databases on a PostgreSQL or MariaDB server reached with an administrator's login (the URL's driver
 * tells which): created, then dropped at close with whatever Tandem made for them.
 */
public final class UrlScratchServer implements ScratchServer {
    private final String adminUrl;
    private final Databases kind;
    private final Properties credentials = new Properties();
    private final List<String> databases = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();

    /** How a server of one kind creates and drops a scratch database. */
    private enum Databases {
        POSTGRESQL {
            @Override
            void create(Connection admin, String name) throws SQLException {
                PostgresScratch.createDatabase(admin, name);
            }

            @Override
            void drop(Connection admin, String name) throws SQLException {
                PostgresScratch.dropDatabase(admin, name);
            }
        },
        MARIADB {
            @Override
            void create(Connection admin, String name) throws SQLException {
                MariaDbScratch.createDatabase(admin, name);
            }

            @Override
            void drop(Connection admin, String name) throws SQLException {
                MariaDbScratch.dropDatabase(admin, name);
            }
        };

        abstract void create(Connection admin, String name) throws SQLException;

        abstract void drop(Connection admin, String name) throws SQLException;

        static Databases of(String jdbcUrl) {
            return isMariaDb(jdbcUrl) ? MARIADB : POSTGRESQL;
        }
    }

    /** Whether {@code jdbcUrl} (as {@link DatabaseUrl#jdbc()} gives it) goes to a MariaDB server. */
    static boolean isMariaDb(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:");
    }

    private UrlScratchServer(String adminUrl, String user, String password) {
        this.adminUrl = adminUrl;
        this.kind = Databases.of(adminUrl);
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
    }

    public static UrlScratchServer on(DatabaseLogin server) {
        DatabaseUrl url = DatabaseUrl.of(server.url());
        return new UrlScratchServer(url.jdbc(), url.userOr(server.user()), url.passwordOr(server.password()));
    }

    /**
     * The database made before is done with: its pool closes here, so a verification of many migrations on
     * databases of their own ({@code --isolated}) holds the connections of one database at a time.
     */
    @Override
    public DataSource newDatabase() {
        pools.forEach(HikariDataSource::close);
        String name = "tandem_verify_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(adminUrl, credentials)) {
            kind.create(admin, name);
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
        config.setExceptionOverrideClassName(KeepSessionOnServerRefusal.class.getName());
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    private static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', url.indexOf("//") + 2);
        if (slash < 0) {
            int query = url.indexOf('?');
            return query < 0 ? url + "/" + database : url.substring(0, query) + "/" + database + url.substring(query);
        }
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
        try (Connection admin = DriverManager.getConnection(adminUrl, credentials)) {
            for (String database : databases) {
                kind.drop(admin, database);
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot clean up the scratch databases: " + Secrets.mask(e.getMessage()));
        }
    }
}
