package dev.tandem.coordinator.internal.dialect.mariadb;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh MariaDB database for one test, created on the server named by {@code TANDEM_MYSQL_URL} (default:
 * the local service) when the test first uses it, and dropped afterwards with its version databases and its rows
 * in Tandem's state. Public for the integration tests and benchmarks.
 */
public final class MariaDbTestDatabase extends StatementsAsVersion implements AutoCloseable, AfterEachCallback {
    /** "Error dropping database (can't rmdir …)": the server found a file it does not know in the directory. */
    private static final int ER_DB_DROP_RMDIR = 1010;
    static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/?user=root";

    private final String adminUrl;
    private String name;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private MariaDbTestDatabase(String adminUrl) {
        this.adminUrl = adminUrl;
    }

    /** A fresh database now; the caller closes it. */
    public static MariaDbTestDatabase create() {
        MariaDbTestDatabase db = perTest();
        db.open();
        return db;
    }

    /**
     * A fresh database for each test of a class that registers it:
     * {@code @RegisterExtension final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();}
     */
    public static MariaDbTestDatabase perTest() {
        return new MariaDbTestDatabase(System.getenv().getOrDefault("TANDEM_MYSQL_URL", DEFAULT_URL));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    private synchronized void open() {
        if (name != null) {
            return;
        }
        String database = "tandem_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB is not reachable at " + adminUrl + " (set TANDEM_MYSQL_URL): "
                    + e.getMessage(), e);
        }
        this.name = database;
    }

    public String name() {
        open();
        return name;
    }

    public String url(String database) {
        int slash = adminUrl.indexOf('/', "jdbc:mariadb://".length());
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
    }

    public Tandem tandem() {
        return tandem(TandemConfig.builder().schema(name()));
    }

    /**
     * Tandem on a pool with a connection for the run and one for each view a contract's switch makes again: the new
     * version's and those of two versions stacked on it. Only two are kept open, as before stacked versions.
     */
    public Tandem tandem(TandemConfig.Builder config) {
        HikariDataSource pool = pool(null, 4);
        pool.setMinimumIdle(2);
        return Tandem.create(pool, config.build());
    }

    /**
     * A pool of connections as one version uses them: {@code version} null for the old one (the table database),
     * else the version database, named in each session for the triggers. Closed with this database.
     */
    public HikariDataSource pool(String version, int size) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url(version == null ? name() : version));
        pool.setMaximumPoolSize(size);
        if (version != null) {
            pool.setConnectionInitSql(versionStatement(version));
        }
        HikariDataSource source = new HikariDataSource(pool);
        synchronized (pools) {
            pools.add(source);
        }
        return source;
    }

    /** A connection as the old version uses it: the table database itself. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(name()));
    }

    /**
     * A connection as the new version uses it: its version database, named in the session for the triggers; null
     * for the old version's.
     */
    @Override
    public Connection connectAs(String version) throws SQLException {
        if (version == null) {
            return connect();
        }
        Connection c = DriverManager.getConnection(url(version));
        try (Statement s = c.createStatement()) {
            s.execute(versionStatement(version));
        }
        return c;
    }

    private static String versionStatement(String version) {
        return "SET " + MariaDbDialect.VERSION_VARIABLE + " = '" + version + "'";
    }

    @Override
    public synchronized void close() {
        synchronized (pools) {
            pools.forEach(HikariDataSource::close);
            pools.clear();
        }
        if (name == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            List<String> databases = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA"
                    + " WHERE SCHEMA_NAME = '" + name + "' OR SCHEMA_NAME LIKE '" + name + "\\_\\_%'")) {
                while (r.next()) {
                    databases.add(r.getString(1));
                }
            }
            for (String database : databases) {
                try {
                    s.execute("DROP DATABASE IF EXISTS `" + database + "`");
                } catch (SQLException e) {
                    if (e.getErrorCode() != ER_DB_DROP_RMDIR) {
                        throw e;
                    }
                    // its tables are gone; a file the server left in its directory is not (see docs/mysql.md)
                    System.err.println("MariaDB left a file behind in " + database + ": " + e.getMessage());
                }
            }
            try (ResultSet r = s.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = 'tandem' AND TABLE_NAME <> 'layout'")) {
                List<String> tables = new ArrayList<>();
                while (r.next()) {
                    tables.add(r.getString(1));
                }
                for (String table : tables) {
                    s.execute("DELETE FROM tandem.`" + table + "` WHERE target_schema = '" + name + "'");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        name = null;
    }
}
