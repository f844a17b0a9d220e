package dev.tandem.dualwrite.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.DualWriter;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuard;
import dev.tandem.dualwrite.PhaseGuardException;
import dev.tandem.dualwrite.verify.DriftCheck;
import dev.tandem.dualwrite.verify.Shape;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meters of docs/operations-monitoring.md ("Application"), scraped from a Prometheus registry. */
class TandemMetricsTest {
    private static final String MIGRATION = "add_display_name";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TandemMetrics metrics = new TandemMetrics();
    private Tandem tandem;

    @BeforeEach
    void createShop() {
        db.execute(Examples.shop());
        tandem = db.tandem();
    }

    private PhaseGuard guard(String version) {
        return PhaseGuard.builder(version).listener(metrics).heartbeatInterval(Duration.ofMillis(200)).build();
    }

    @Test
    void guardDecisionsVersionAndHeartbeat() throws Exception {
        metrics.bindTo(registry);
        assertThat(registry.scrape()).contains("tandem_instance_heartbeat_age_seconds NaN")
                .contains("tandem_instance_heartbeat_failures_total 0.0");

        tandem.expand(Examples.migration("add_column.yaml"));
        PhaseGuard newVersion = guard(MIGRATION);
        assertThatThrownBy(() -> newVersion.check(db.pool())).isInstanceOf(PhaseGuardException.class);
        tandem.backfill(MIGRATION, BackfillListener.NONE);
        try (InstanceRegistration registration = newVersion.start(db.pool())) {
            newVersion.check(db.pool());
            Thread.sleep(500); // a few heartbeats
            String scrape = registry.scrape();
            assertThat(scrape)
                    .contains("tandem_guard_decisions_total{outcome=\"refused\",version=\"add_display_name\"} 1.0")
                    .contains("tandem_guard_decisions_total{outcome=\"accepted\",version=\"add_display_name\"} 2.0")
                    .contains("tandem_instance_version{version=\"add_display_name\"} 1.0");
            assertThat(sample(scrape, "tandem_instance_heartbeat_age_seconds")).isBetween(0.0, 1.0);
        }
        assertThat(registry.scrape()).contains("tandem_instance_heartbeat_age_seconds NaN");

        tandem.contract(MIGRATION);
        assertThatThrownBy(() -> guard("base").check(db.pool())).isInstanceOf(PhaseGuardException.class);
        assertThat(registry.scrape()).contains("tandem_instance_version{version=\"base\"} 0.0")
                .contains("tandem_guard_decisions_total{outcome=\"refused\",version=\"base\"} 1.0");
    }

    @Test
    void unreadableStateIsUnreachableNotRefused() {
        metrics.bindTo(registry);
        PhaseGuard guard = PhaseGuard.builder("base").listener(metrics).build();
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/test");
        assertThatThrownBy(() -> guard.check(nowhere)).isInstanceOf(PhaseGuardException.class);
        assertThat(registry.scrape())
                .contains("tandem_guard_decisions_total{outcome=\"unreachable\",version=\"base\"} 1.0");
    }

    @Test
    void dualWritesByPhaseAndDriftPerMigrationAlsoWhenBoundLater() throws Exception {
        db.execute("CREATE TABLE old_shape (id int PRIMARY KEY, v text)",
                "CREATE TABLE new_shape (id int PRIMARY KEY, v text)");
        DualWriter writer = DualWriter.create(guard("base").phases(), MIGRATION);
        DriftCheck check = new DriftCheck("public", new Shape("old_shape", List.of("id"), List.of("v")),
                new Shape("new_shape", List.of("id"), List.of("v")));
        try (Connection c = db.connect()) {
            writer.write(c, o -> insert(o, "old_shape", 1), n -> insert(n, "new_shape", 1));
            tandem.expand(Examples.migration("add_column.yaml"));
            writer.write(c, o -> insert(o, "old_shape", 2), n -> insert(n, "new_shape", 2));
            writer.write(c, o -> insert(o, "old_shape", 3), n -> insert(n, "new_shape", 3));
            assertThat(writer.checkDrift(c, check, 10).drifted()).isEqualTo(1);
        }

        metrics.bindTo(registry);
        assertThat(registry.scrape())
                .contains("tandem_dualwrite_writes_total{migration=\"add_display_name\",phase=\"read_old_write_old\"} 1.0")
                .contains("tandem_dualwrite_writes_total{migration=\"add_display_name\",phase=\"read_old_write_both\"} 2.0")
                .contains("tandem_dualwrite_drift_keys{migration=\"add_display_name\"} 1.0")
                .contains("tandem_dualwrite_drift_checks_total{migration=\"add_display_name\",result=\"drifted\"} 1.0");

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO public.new_shape VALUES (1, 'v1')");
            writer.checkDrift(c, check, 10);
        }
        assertThat(registry.scrape()).contains("tandem_dualwrite_drift_keys{migration=\"add_display_name\"} 0.0")
                .contains("tandem_dualwrite_drift_checks_total{migration=\"add_display_name\",result=\"clean\"} 1.0");
    }

    private static void insert(Connection c, String table, int id) throws java.sql.SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO public." + table + " VALUES (" + id + ", 'v" + id + "')");
        }
    }

    private static double sample(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(name.length() + 1))).findFirst().orElseThrow();
    }
}
