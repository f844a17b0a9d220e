package dev.tandem.coordinator.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh PostgreSQL database for one test, created on the server named by {@code TANDEM_PG_URL} (default:
 * the local service) when the test first uses it, and dropped afterwards.
 */
public final class TestDatabase extends StatementsAsVersion implements AutoCloseable, AfterEachCallback {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private final String adminUrl;
    private String name;
    private String url;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private TestDatabase(String adminUrl) {
        this.adminUrl = adminUrl;
    }

    /** A fresh database now; the caller closes it. */
    public static TestDatabase create() {
        TestDatabase db = perTest();
        db.open();
        return db;
    }

    /**
     * A fresh database for each test of a class that registers it:
     * {@code @RegisterExtension final TestDatabase db = TestDatabase.perTest();}
     */
    public static TestDatabase perTest() {
        return new TestDatabase(System.getenv().getOrDefault("TANDEM_PG_URL", DEFAULT_URL));
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
            s.execute("CREATE DATABASE " + database + " TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + adminUrl + " (set TANDEM_PG_URL): "
                    + e.getMessage(), e);
        }
        this.name = database;
        this.url = withDatabase(adminUrl, database);
    }

    private static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    public String url() {
        open();
        return url;
    }

    public String name() {
        open();
        return name;
    }

    /** A pool whose connections use {@code searchPath}, as an application of one version would. */
    public HikariDataSource pool(String searchPath, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setMaximumPoolSize(size);
        config.setPoolName("test-" + searchPath);
        if (searchPath != null) {
            config.setConnectionInitSql("SET search_path TO " + searchPath);
        }
        HikariDataSource pool = new HikariDataSource(config);
        synchronized (pools) {
            pools.add(pool);
        }
        return pool;
    }

    public HikariDataSource pool() {
        return pool(null, 4);
    }

    public Tandem tandem() {
        return tandem(TandemConfig.builder().build());
    }

    public Tandem tandem(TandemConfig config) {
        return Tandem.create(pool(), config);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** Connects as an application of one version: {@code searchPath} first. */
    public Connection connect(String searchPath) throws SQLException {
        Connection c = connect();
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + searchPath);
        }
        return c;
    }

    @Override
    protected Connection connectAs(String searchPath) throws SQLException {
        return searchPath == null ? connect() : connect(searchPath);
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
            s.execute("DROP DATABASE IF EXISTS " + name.toLowerCase(Locale.ROOT) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        name = null;
        url = null;
    }
}
