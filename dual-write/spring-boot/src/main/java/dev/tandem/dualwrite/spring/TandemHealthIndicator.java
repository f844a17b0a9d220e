package dev.tandem.dualwrite.spring;

import dev.tandem.dualwrite.MigrationPhase;
import dev.tandem.dualwrite.PhaseGuard;
import dev.tandem.dualwrite.PhaseGuardException;
import dev.tandem.dualwrite.SchemaVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code tandem}: up while the database still offers the application's version, with the version, its
 * search_path (on MariaDB and MySQL: catalog), the migrations in flight with their phases (several when stacked) and
 * the latest migration's phase; down, with the guard's message, once it does not.
 */
final class TandemHealthIndicator extends AbstractHealthIndicator {
    private final PhaseGuard guard;
    private final DataSource dataSource;

    TandemHealthIndicator(PhaseGuard guard, DataSource dataSource) {
        this.guard = guard;
        this.dataSource = dataSource;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("version", guard.version());
        try {
            SchemaVersion version = guard.check(dataSource);
            builder.up();
            if (version.isDatabase()) {
                builder.withDetail("catalog", version.catalog());
            } else {
                builder.withDetail("searchPath", String.join(", ", version.searchPath()));
            }
        } catch (PhaseGuardException e) {
            builder.down().withDetail("error", e.getMessage());
        }
        Map<String, String> inFlight = new LinkedHashMap<>();
        guard.phases().inFlight(dataSource).forEach(m -> inFlight.put(m.migration(), m.recordedPhase()));
        builder.withDetail("inFlight", inFlight);
        Optional<MigrationPhase> latest = guard.phases().latest(dataSource);
        builder.withDetail("migration", latest.map(MigrationPhase::migration).orElse(SchemaVersion.BASE));
        builder.withDetail("phase", latest.map(MigrationPhase::recordedPhase).orElse(MigrationPhase.NONE));
        latest.ifPresent(m -> builder.withDetail("dualWrite", m.dualWrite().name()));
    }
}
