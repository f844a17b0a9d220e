package dev.tandem.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** A one-connection pool on a database verify only reads, with user and password from TANDEM_USER / TANDEM_PASSWORD. */
final class EnvPool {
    private EnvPool() {
    }

    static HikariDataSource open(String url, String poolName) {
        DatabaseUrl target = DatabaseUrl.of(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.jdbc());
        config.setUsername(target.userOr(System.getenv("TANDEM_USER")));
        config.setPassword(target.passwordOr(System.getenv(ConnectionOptions.PASSWORD_ENV)));
        config.setPoolName(poolName);
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }
}
