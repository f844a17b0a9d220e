package dev.tandem.coordinator.internal.verify;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.lifecycle.Commands;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.verify.DatabaseLogin;
import java.util.Map;

/**
 * The migrations a real database's Tandem state records (rolled-back ones excepted), with the checksum of the file
 * each was applied from, by name, for verify's pending-on.
 */
final class RecordedMigrations {
    private RecordedMigrations() {
    }

    static Map<String, String> on(DatabaseLogin database) {
        try (HikariDataSource pool = ReadOnlyPool.open(database, "tandem-verify-state")) {
            return new Commands(pool, TandemConfig.builder().build()).recordedChecksums();
        } catch (RuntimeException e) {
            throw new DatabaseException("--pending-on: " + Secrets.mask(e.getMessage()) + "; url "
                    + Secrets.mask(database.url()));
        }
    }
}
