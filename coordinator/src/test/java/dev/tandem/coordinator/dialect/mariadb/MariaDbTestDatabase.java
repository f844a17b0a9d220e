package dev.tandem.coordinator.dialect.mariadb;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh MariaDB database for one test, created on the server named by {@code TANDEM_MYSQL_URL} (default:
 * the local service) and dropped afterwards with its version databases and its rows in Tandem's state.
 */
final class MariaDbTestDatabase implements AutoCloseable {
    static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/?user=root";

    private final String adminUrl;
    private final String name;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private MariaDbTestDatabase(String adminUrl, String name) {
        this.adminUrl = adminUrl;
        this.name = name;
    }

    static MariaDbTestDatabase create() {
        String adminUrl = System.getenv().getOrDefault("TANDEM_MYSQL_URL", DEFAULT_URL);
        String name = "tandem_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB is not reachable at " + adminUrl + " (set TANDEM_MYSQL_URL): "
                    + e.getMessage(), e);
        }
        return new MariaDbTestDatabase(adminUrl, name);
    }

    String name() {
        return name;
    }

    String url(String database) {
        int slash = adminUrl.indexOf('/', "jdbc:mariadb://".length());
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
    }

    Tandem tandem() {
        return tandem(TandemConfig.builder().schema(name));
    }

    Tandem tandem(TandemConfig.Builder config) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url(name));
        pool.setMaximumPoolSize(2);
        HikariDataSource source = new HikariDataSource(pool);
        pools.add(source);
        return Tandem.create(source, config.build());
    }

    /** A connection as the old version uses it: the table database itself. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(name));
    }

    /** A connection as the new version uses it: its version database, named in the session for the triggers. */
    Connection connectAs(String version) throws SQLException {
        Connection c = DriverManager.getConnection(url(version));
        try (Statement s = c.createStatement()) {
            s.execute("SET " + MariaDbDialect.VERSION_VARIABLE + " = '" + version + "'");
        }
        return c;
    }

    void execute(String... sql) {
        executeIn(null, sql);
    }

    /** Runs statements as one version would: {@code version} null for the old one. */
    void executeIn(String version, String... sql) {
        try (Connection c = version == null ? connect() : connectAs(version); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    List<String> rows(String sql) {
        return rows(null, sql);
    }

    /** Each row of the query as its columns joined with '|', nulls as "null". */
    List<String> rows(String version, String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection c = version == null ? connect() : connectAs(version); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(r.getString(i));
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return rows;
    }

    String value(String sql) {
        return value(null, sql);
    }

    String value(String version, String sql) {
        List<String> rows = rows(version, sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            List<String> databases = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA"
                    + " WHERE SCHEMA_NAME = '" + name + "' OR SCHEMA_NAME LIKE '" + name + "\\_\\_%'")) {
                while (r.next()) {
                    databases.add(r.getString(1));
                }
            }
            for (String database : databases) {
                s.execute("DROP DATABASE IF EXISTS `" + database + "`");
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
    }
}
