package dev.tandem.dualwrite.metrics;

import dev.tandem.dualwrite.DualWritePhase;
import dev.tandem.dualwrite.GuardListener;
import dev.tandem.dualwrite.PhaseGuardException;
import dev.tandem.dualwrite.SchemaVersion;
import dev.tandem.dualwrite.verify.DriftReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application side of Tandem as Micrometer meters (docs/operations-monitoring.md lists them): the version the
 * instance serves, the guard's decisions and refusals, the heartbeat's age and failures, and per migration the
 * {@link dev.tandem.dualwrite.DualWriter}'s writes by phase and the drift its last check found. Needs
 * {@code micrometer-core}, which this library does not bring along.
 *
 * <pre>{@code
 * TandemMetrics metrics = new TandemMetrics();
 * PhaseGuard guard = PhaseGuard.builder("add_display_name").listener(metrics).build();
 * metrics.bindTo(registry);      // Spring Boot's auto-configuration does both
 * }</pre>
 *
 * What happens before {@link #bindTo} is kept and shows once it is bound; it may be bound to several registries.
 */
public final class TandemMetrics implements MeterBinder, GuardListener {
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Series serving = Series.gauge("tandem.instance.version",
            "1 while the guard's latest decision accepted this version, 0 after it refused it", "version");
    private final Series decisions = Series.counter("tandem.guard.decisions",
            "The guard's checks and starts by outcome: accepted, refused (the database does not offer the version) "
                    + "or unreachable (its state could not be read in time)", "version", "outcome");
    private final Series heartbeatFailures = Series.counter("tandem.instance.heartbeat.failures",
            "Heartbeats of the instance registry that failed");
    private final Series writes = Series.counter("tandem.dualwrite.writes",
            "DualWriter writes by migration and the phase they ran in", "migration", "phase");
    private final Series driftKeys = Series.gauge("tandem.dualwrite.drift.keys",
            "Keys whose old and new shape differed at the migration's latest drift check", "migration");
    private final Series driftChecks = Series.counter("tandem.dualwrite.drift.checks",
            "Drift checks run by migration and result (clean or drifted)", "migration", "result");
    private final List<Series> all = List.of(serving, decisions, heartbeatFailures, writes, driftKeys, driftChecks);
    /** System.nanoTime() of the latest heartbeat that reached the database; Long.MIN_VALUE before the first. */
    private final AtomicLong lastHeartbeat = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean registered;

    public TandemMetrics() {
        heartbeatFailures.value(registries); // 0 from the start, not only after the first failure
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        all.forEach(series -> series.bindTo(registry));
        Gauge.builder("tandem.instance.heartbeat.age", this, TandemMetrics::heartbeatAgeSeconds)
                .description("Seconds since the instance's latest heartbeat reached the database; NaN before the first "
                        + "and after the instance left the registry")
                .baseUnit("seconds").register(registry);
    }

    private double heartbeatAgeSeconds() {
        long last = lastHeartbeat.get();
        if (last == Long.MIN_VALUE || !registered) {
            return Double.NaN;
        }
        return (System.nanoTime() - last) / 1e9;
    }

    @Override
    public void accepted(SchemaVersion version) {
        serving.value(registries, version.name()).set(1);
        decisions.value(registries, version.name(), "accepted").incrementAndGet();
    }

    @Override
    public void refused(PhaseGuardException refusal) {
        serving.value(registries, refusal.wantedVersion()).set(0);
        // a refusal has no cause; a timeout or an SQL failure carries it
        String outcome = refusal.getCause() == null ? "refused" : "unreachable";
        decisions.value(registries, refusal.wantedVersion(), outcome).incrementAndGet();
    }

    @Override
    public void heartbeat(String instanceId, boolean succeeded) {
        if (succeeded) {
            lastHeartbeat.set(System.nanoTime());
            registered = true;
        } else {
            heartbeatFailures.value(registries).incrementAndGet();
        }
    }

    @Override
    public void closed(String instanceId) {
        registered = false;
    }

    @Override
    public void dualWritten(String migration, DualWritePhase phase) {
        writes.value(registries, migration, phase.name().toLowerCase(Locale.ROOT)).incrementAndGet();
    }

    @Override
    public void driftChecked(String migration, DriftReport report) {
        driftKeys.value(registries, migration).set(report.drifted());
        driftChecks.value(registries, migration, report.clean() ? "clean" : "drifted").incrementAndGet();
    }

    @Override
    public String toString() {
        return "TandemMetrics[registries=" + registries.size() + "]";
    }
}
