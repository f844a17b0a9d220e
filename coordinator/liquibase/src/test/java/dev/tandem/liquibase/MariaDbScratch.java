package dev.tandem.liquibase;

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
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database on the MariaDB service for one test (server from {@code TANDEM_MYSQL_URL}), dropped afterwards
 * with its rows in Tandem's MariaDB state; what ran in it is read with {@link #rows}.
 */
final class MariaDbScratch implements AfterEachCallback {
    private static final String SERVER = System.getenv().getOrDefault("TANDEM_MYSQL_URL",
            "jdbc:mariadb://127.0.0.1:3306/?user=root");

    private final String name = "tandem_lb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final HikariDataSource pool;

    MariaDbScratch() {
        admin("CREATE DATABASE `" + name + "`");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(SERVER.replaceFirst("(//[^/]+)/", "$1/" + name));
        config.setMaximumPoolSize(3);
        pool = new HikariDataSource(config);
    }

    String name() {
        return name;
    }

    HikariDataSource pool() {
        return pool;
    }

    Tandem tandem() {
        return Tandem.create(pool, TandemConfig.builder().schema(name).build());
    }

    void execute(String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Each row with its columns joined by '|'. */
    List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    columns.add(r.getString(i));
                }
                rows.add(String.join("|", columns));
            }
        }
        return rows;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        pool.close();
        admin("DROP DATABASE IF EXISTS `" + name + "`");
        for (String table : List.of("liquibase_changelogs", "liquibase_changesets")) {
            admin("DELETE FROM tandem.`" + table + "` WHERE target_schema = '" + name + "'");
        }
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB at " + SERVER + " (set TANDEM_MYSQL_URL): " + e.getMessage(), e);
        }
    }
}
