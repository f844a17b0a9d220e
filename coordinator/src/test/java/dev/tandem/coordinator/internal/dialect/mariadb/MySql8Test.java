package dev.tandem.coordinator.internal.dialect.mariadb;

import static dev.tandem.coordinator.internal.dialect.mariadb.MySqlServersTest.ADD_CODE;
import static dev.tandem.coordinator.internal.dialect.mariadb.MySqlServersTest.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.UnsupportedDatabaseException;
import dev.tandem.coordinator.testing.Examples;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * MySQL 8, told apart from MariaDB and refused before anything changes. Runs in the {@code mysql8} profile only,
 * which {@code TANDEM_MYSQL8_URL} turns on (or {@code -Pmysql8} with a Docker engine for Testcontainers): the
 * default build has no MySQL 8 to run on, and reports no skipped test for it.
 */
@Tag("mysql8")
class MySql8Test {
    @Test
    void mySql8IsDetectedAndRefusedWithItsReasonBeforeAnythingChanges() throws Exception {
        String url = MySql8Server.url();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            MySqlServer server = MySqlServer.detect(c);
            assertThat(server.mariaDb()).isFalse();
            assertThat(server.major()).isEqualTo(8);
            assertThat(server.isolationVariable()).isEqualTo("transaction_isolation");
            s.execute("CREATE DATABASE IF NOT EXISTS tandem_mysql8 ");
            s.execute("CREATE TABLE IF NOT EXISTS tandem_mysql8.orders (id BIGINT PRIMARY KEY, legacy_code VARCHAR(20))");
        }
        try (HikariDataSource pool = pool(url)) {
            Tandem tandem = Tandem.create(pool, TandemConfig.builder().schema("tandem_mysql8").build());
            assertThatThrownBy(() -> tandem.expand(Examples.inline("add_code", ADD_CODE)))
                    .isInstanceOf(UnsupportedDatabaseException.class)
                    .hasMessageStartingWith("MySQL 8.")
                    .hasMessageContaining("is not supported yet");
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM information_schema.COLUMNS"
                     + " WHERE TABLE_SCHEMA = 'tandem_mysql8' AND TABLE_NAME = 'orders'")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(2);
        }
    }
}
