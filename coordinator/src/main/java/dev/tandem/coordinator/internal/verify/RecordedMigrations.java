package dev.tandem.coordinator.internal.verify;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.coordinator.verify.DatabaseLogin;
import java.util.Set;
import java.util.stream.Collectors;

/** The migrations a real database's Tandem state records (rolled-back ones excepted), for verify's pending-on. */
final class RecordedMigrations {
    private RecordedMigrations() {
    }

    static Set<String> on(DatabaseLogin database) {
        try (HikariDataSource pool = ReadOnlyPool.open(database, "tandem-verify-state")) {
            return Tandem.create(pool, TandemConfig.builder().build()).status().stream()
                    .filter(status -> !status.phase().equals(Phase.ROLLED_BACK.label()))
                    .map(MigrationStatus::name).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            throw new DatabaseException("--pending-on: " + Secrets.mask(e.getMessage()) + "; url "
                    + Secrets.mask(database.url()));
        }
    }
}
