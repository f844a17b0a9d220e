package dev.tandem.coordinator.fleet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.KeepSessionOnServerRefusal;
import dev.tandem.coordinator.internal.sql.Secrets;

/**
 * One database of a fleet. Its password is never part of any text it gives: {@link #toString()} is its name, and
 * {@link #maskedUrl()} masks a password written into the URL.
 *
 * @param schema the schema migrations change, or null for the default (public; on MariaDB the URL's database)
 */
public record FleetTarget(String name, String wave, String url, String schema, String user, String password) {

    /** A pool of at most {@code size} connections, closed by the caller after use. Connects on first use. */
    HikariDataSource open(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("tandem-fleet-" + name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setExceptionOverrideClassName(KeepSessionOnServerRefusal.class.getName());
        // an unreachable target then fails in Tandem's first statement, as a masked DatabaseException
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    public String maskedUrl() {
        return Secrets.mask(url);
    }

    @Override
    public String toString() {
        return name;
    }
}
