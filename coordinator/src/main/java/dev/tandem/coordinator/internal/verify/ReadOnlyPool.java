package dev.tandem.coordinator.internal.verify;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.internal.sql.DatabaseUrl;
import dev.tandem.coordinator.verify.DatabaseLogin;

/** A one-connection pool on a database verify only reads: the pending-on state, a live pg_stat_statements. */
final class ReadOnlyPool {
    private ReadOnlyPool() {
    }

    static HikariDataSource open(DatabaseLogin database, String poolName) {
        DatabaseUrl target = DatabaseUrl.of(database.url());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.jdbc());
        config.setUsername(target.userOr(database.user()));
        config.setPassword(target.passwordOr(database.password()));
        config.setPoolName(poolName);
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }
}
