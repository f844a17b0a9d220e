package dev.tandem.cli;

import dev.tandem.coordinator.state.BackfillProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one {@code migrate} run in Prometheus form: its phase, steps, statements, lock conflicts, backfill
 * progress and throttle pauses, each labelled with the migration, and on a fleet with the target. The names are
 * listed in docs/operations-monitoring.md. Thread-safe: a fleet's targets and a backfill's workers report at once.
 */
final class RunMetrics {
    /** What a scrape answers with: Prometheus's text format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Value> gauges = new ConcurrentHashMap<>();

    /** The labels every meter of a migration carries: the migration, and the fleet target or null. */
    record Labels(String migration, String target) {
        Tags tags(String... more) {
            Tags tags = Tags.of("migration", migration).and(more);
            return target == null ? tags : tags.and("target", target);
        }
    }

    String scrape() {
        return registry.scrape();
    }

    void phaseStarted(Labels labels, String phase) {
        phaseRunning(labels, phase).set(1);
    }

    /** @param outcome done, failed, or refused (a pre- hook failed) */
    void phaseEnded(Labels labels, String phase, String outcome, Duration took) {
        phaseRunning(labels, phase).set(0);
        Timer.builder("tandem.phase").description("how long phase commands took, by outcome")
                .tags(labels.tags("phase", phase, "outcome", outcome)).register(registry).record(took);
    }

    void stepStarted(Labels labels, String step) {
        stepRunning(labels, step).set(1);
    }

    void stepEnded(Labels labels, String step) {
        stepRunning(labels, step).set(0);
    }

    void stepDone(Labels labels, String step, int statements, Duration took) {
        stepEnded(labels, step);
        Timer.builder("tandem.step").description("how long each step took, lock retries included")
                .tags(labels.tags("step", step)).register(registry).record(took);
        Tags phase = labels.tags("phase", phaseOf(step));
        counter("tandem.steps.done", "steps recorded as done", phase).increment();
        counter("tandem.statements", "statements run by the steps done", phase).increment(statements);
    }

    void lockConflict(Labels labels, String step, boolean retried) {
        Tags phase = labels.tags("phase", phaseOf(step));
        counter("tandem.lock.timeouts", "statements that did not get their lock within the lock timeout, or lost a "
                + "deadlock", phase).increment();
        if (retried) {
            counter("tandem.lock.retries", "statements tried again after a lock timeout or deadlock", phase)
                    .increment();
        }
    }

    void batchDone(Labels labels, BackfillProgress progress, BackfillRates.Rate rate) {
        Tags table = labels.tags("table", progress.table());
        gauge("tandem.backfill.rows", "rows of the table backfilled, by every run", table).set(progress.rowsDone());
        gauge("tandem.backfill.rows.estimate", "the table's estimated row count when its backfill started", table)
                .set(progress.estimate());
        gauge("tandem.backfill.rows.per.second", "rows backfilled per second since this run reached the table",
                table).set(rate.rowsPerSecond() == null ? Double.NaN : rate.rowsPerSecond());
        gauge("tandem.backfill.eta.seconds", "seconds left at the current rate; NaN while unknown", table)
                .set(rate.etaSeconds() == null ? Double.NaN : rate.etaSeconds());
        gauge("tandem.backfill.done", "1 once the table's backfill is complete", table).set(progress.done() ? 1 : 0);
        gauge("tandem.throttle.paused.seconds", "time the table's backfill workers spent paused by the throttle",
                table).set(progress.pausedMillis() / 1000.0);
        counter("tandem.backfill.batches", "backfill batches committed by this run", table).increment();
    }

    void paused(Labels labels, String table) {
        counter("tandem.throttle.pauses", "pauses of the backfill by the throttle (active sessions, replication "
                + "lag)", labels.tags("table", table)).increment();
    }

    /**
     * The backfill's control as this run's workers read it: paused or not, and the rate and workers they run
     * with (their own where {@code migrate control} set none).
     */
    void controlled(Labels labels, boolean paused, long maxRate, int workers) {
        Tags tags = labels.tags();
        gauge("tandem.backfill.paused", "1 while the backfill is paused by migrate control, else 0", tags)
                .set(paused ? 1 : 0);
        gauge("tandem.backfill.max.rate", "the most rows per second this run backfills; 0 for no limit", tags)
                .set(maxRate);
        gauge("tandem.backfill.workers", "the workers this run backfills with", tags).set(workers);
    }

    private Value phaseRunning(Labels labels, String phase) {
        return gauge("tandem.phase.running", "1 while the phase command runs on the migration, else 0",
                labels.tags("phase", phase));
    }

    private Value stepRunning(Labels labels, String step) {
        return gauge("tandem.step.running", "1 while the step runs, else 0", labels.tags("step", step));
    }

    /** The phase a step id belongs to: {@code expand/main} is expand's, {@code backfill/TABLE} backfill's. */
    private static String phaseOf(String step) {
        int slash = step.indexOf('/');
        return slash < 0 ? step : step.substring(0, slash);
    }

    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** The gauge of {@code name} and {@code tags}, registered on first use; it keeps the last value set. */
    private Value gauge(String name, String description, Tags tags) {
        return gauges.computeIfAbsent(name + tags, key -> {
            Value value = new Value();
            Gauge.builder(name, value, Value::get).description(description).tags(tags).strongReference(true)
                    .register(registry);
            return value;
        });
    }

    private static final class Value {
        private volatile double value;

        void set(double value) {
            this.value = value;
        }

        double get() {
            return value;
        }
    }
}
