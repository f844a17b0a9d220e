package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.UnsupportedDatabaseException;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.testing.Examples;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Which server Tandem is talking to, told from {@code SELECT VERSION()} whatever the driver: MariaDB through
 * MySQL's Connector/J (which reports it as MySQL 5.5.5-10.11...); MySQL 8 is {@link MySql8Test}.
 */
class MySqlServersTest {
    static final String ADD_CODE = "add_column: {table: orders, column: {name: code, type: varchar(40)},"
            + " up: \"CONCAT('C', legacy_code)\"}";

    static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    @Test
    void mariaDbThroughMySqlsDriverIsDetectedAndMigrated() throws Exception {
        try (MariaDbTestDatabase db = MariaDbTestDatabase.create()) {
            db.execute(Examples.MARIADB_SHOP);
            String url = db.url(db.name()).replace("jdbc:mariadb:", "jdbc:mysql:");
            try (Connection c = DriverManager.getConnection(url)) {
                assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("MySQL");
                assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("5.5.5-10.");
                assertThat(MySqlServer.detect(c).mariaDb()).isTrue();
            }
            try (HikariDataSource pool = pool(url)) {
                assertThatThrownBy(() -> Tandem.create(pool, TandemConfig.builder().schema(db.name()).build()).status())
                        .isInstanceOf(UnsupportedDatabaseException.class)
                        .hasMessageContaining("escapes parameters with backslashes")
                        .hasMessageContaining("useServerPrepStmts=true");
            }
            try (HikariDataSource pool = pool(url + "&useServerPrepStmts=true")) {
                Tandem tandem = Tandem.create(pool, TandemConfig.builder().schema(db.name()).build());
                tandem.expand(Examples.inline("add_code", ADD_CODE));
                tandem.backfill("add_code", BackfillListener.NONE);
                tandem.contract("add_code");
            }
            assertThat(db.value("SELECT COUNT(*) FROM orders WHERE code = CONCAT('C', legacy_code)")).isEqualTo("2500");
        }
    }
}
