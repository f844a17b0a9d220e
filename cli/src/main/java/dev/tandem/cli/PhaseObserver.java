package dev.tandem.cli;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.StepListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.TandemException;
import dev.tandem.coordinator.fleet.FleetTarget;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Watches the phase a command runs, on one database or on each target of a fleet: runs its hooks before and after
 * it, on failure and on throttle, and keeps its metrics, served while it runs and pushed at its end.
 */
final class PhaseObserver implements AutoCloseable {
    private final String phase;
    private final Hooks hooks;
    private final RunMetrics metrics;
    private final MetricsEndpoint endpoint;
    private final Pushgateway push;
    private final PrintWriter err;
    private final List<HookFailedException> failedAfter = new ArrayList<>();
    /** Runs on-throttle hooks beside the backfill, whose workers must not wait for them. */
    private final ExecutorService throttleHooks = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "migrate-on-throttle");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean throttleHookBusy = new AtomicBoolean();

    /** @param phase the command: expand, backfill, contract or rollback */
    PhaseObserver(String phase, MetricsOptions metricsOptions, HookOptions hookOptions, PrintWriter err) {
        this.phase = phase;
        this.err = err;
        this.hooks = hookOptions.hooks(err);
        this.push = metricsOptions.push();
        this.metrics = new RunMetrics();
        this.endpoint = metricsOptions.serve(metrics::scrape);
        if (endpoint != null) {
            err.println("metrics: " + endpoint.url());
            err.flush();
        }
    }

    /**
     * The config of a run on {@code database}: its steps reported to the metrics, labelled with the fleet target.
     *
     * @param target the fleet target, or null for the one database of {@code --url}
     */
    TandemConfig.Builder watch(TandemConfig.Builder config, DataSource database, FleetTarget target) {
        return config.stepListener(new OnDatabase(target, hooks.any() ? kind(database) : null));
    }

    /**
     * Runs {@code work}, this command's phase of {@code migration} on the database of {@code tandem}, between its
     * pre- and post- hooks; on-failure hooks run when it fails.
     *
     * @param summary what the post- hooks are told of the work's result
     *
     * @throws HookFailedException when a pre- hook failed: the phase did not start
     */
    <T> T run(Tandem tandem, String migration, Supplier<T> work, Function<T, PhaseResult> summary) {
        return run(phase, tandem, migration, work, summary);
    }

    /**
     * The same for {@code phase} of {@code migration}, where one command runs several phases ({@code migrate up}).
     *
     * @param phase expand, backfill, contract or rollback
     */
    <T> T run(String phase, Tandem tandem, String migration, Supplier<T> work, Function<T, PhaseResult> summary) {
        OnDatabase on = on(tandem);
        RunMetrics.Labels labels = on.labels(migration);
        Map<String, String> context = on.context(phase, migration, tandem.config().schema());
        long hooksStart = System.nanoTime();
        Optional<String> refused = hooks.run("pre-" + phase, context);
        if (refused.isPresent()) {
            metrics.phaseEnded(labels, phase, "refused", since(hooksStart));
            HookFailedException failure = new HookFailedException(on.where() + refused.get() + "; " + phase
                    + " did not start and nothing was changed: fix the hook or what it checks and run " + phase
                    + " again");
            failed(context, failure);
            throw failure;
        }
        metrics.phaseStarted(labels, phase);
        long start = System.nanoTime();
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            metrics.phaseEnded(labels, phase, "failed", since(start));
            on.stepsEnded(labels);
            failed(context, e);
            throw e;
        }
        Duration took = since(start);
        metrics.phaseEnded(labels, phase, "done", took);
        succeeded(phase, on, context, summary.apply(result), took);
        return result;
    }

    /** Runs the post- hooks; one that fails fails the command once its work is done, not the phase. */
    private void succeeded(String phase, OnDatabase on, Map<String, String> context, PhaseResult result,
                           Duration took) {
        Map<String, String> done = new LinkedHashMap<>(context);
        done.put("OUTCOME", result.outcome());
        done.put("STATE", result.phase());
        done.put("STATEMENTS", String.valueOf(result.statements()));
        done.put("ROWS", String.valueOf(result.rows()));
        done.put("ELAPSED_SECONDS", decimal(took.toMillis() / 1000.0));
        done.put("ROWS_PER_SECOND", decimal(took.toMillis() == 0 ? 0 : result.rows() * 1000.0 / took.toMillis()));
        hooks.run("post-" + phase, done).ifPresent(failure -> {
            synchronized (failedAfter) {
                failedAfter.add(new HookFailedException(on.where() + phase + " is done (" + result.migration() + " "
                        + result.phase() + "), but " + failure + "; running " + phase + " again finds it done and "
                        + "runs post-" + phase + " again"));
            }
        });
    }

    /** {@code progress}, and each batch and pause also reported to the metrics and the on-throttle hooks. */
    BackfillListener backfill(Tandem tandem, String migration, BackfillListener progress) {
        OnDatabase on = on(tandem);
        RunMetrics.Labels labels = on.labels(migration);
        Map<String, String> context = on.context(PhaseKind.BACKFILL.label(), migration, tandem.config().schema());
        BackfillRates rates = new BackfillRates();
        Map<String, Map<String, String>> lastBatch = new ConcurrentHashMap<>();
        return new BackfillListener() {
            @Override
            public void batchDone(BackfillProgress batch) {
                BackfillRates.Rate rate = rates.of(batch);
                metrics.batchDone(labels, batch, rate);
                Map<String, String> sofar = new LinkedHashMap<>();
                sofar.put("ROWS", String.valueOf(batch.rowsDone()));
                sofar.put("ROWS_ESTIMATE", String.valueOf(batch.estimate()));
                sofar.put("ROWS_PER_SECOND", rate.rowsPerSecond() == null ? "" : decimal(rate.rowsPerSecond()));
                sofar.put("ETA_SECONDS", rate.etaSeconds() == null ? "" : decimal(rate.etaSeconds()));
                lastBatch.put(batch.table(), sofar);
                progress.batchDone(batch);
            }

            @Override
            public void paused(String table, String reason) {
                metrics.paused(labels, table);
                Map<String, String> throttled = new LinkedHashMap<>(context);
                throttled.put("OUTCOME", "throttled");
                throttled.put("TABLE", table);
                throttled.put("THROTTLE_REASON", reason);
                throttled.putAll(lastBatch.getOrDefault(table, Map.of()));
                throttled(throttled);
                progress.paused(table, reason);
            }

            @Override
            public void controlled(BackfillControl control) {
                metrics.controlled(labels, control.paused(), control.maxRateOr(tandem.config().maxRate()),
                        control.workersOr(tandem.config().workers()));
                progress.controlled(control);
            }
        };
    }

    /**
     * Starts the on-throttle hooks beside the backfill; while they still run, further pauses start none, so that
     * a throttle flapping on and off does not queue hooks up.
     */
    private void throttled(Map<String, String> context) {
        if (!hooks.any() || !throttleHookBusy.compareAndSet(false, true)) {
            return;
        }
        throttleHooks.execute(() -> {
            try {
                hooks.run("on-throttle", context).ifPresent(this::warn);
            } finally {
                throttleHookBusy.set(false);
            }
        });
    }

    /** Runs the on-failure hooks; their own failure is only reported, the phase's failure is what counts. */
    private void failed(Map<String, String> context, RuntimeException failure) {
        Map<String, String> failed = new LinkedHashMap<>(context);
        failed.put("OUTCOME", "failed");
        failed.put("EXIT_CODE", String.valueOf(ExitCodes.of(failure)));
        failed.put("ERROR", Secrets.mask(failure instanceof TandemException ? failure.getMessage()
                : "internal error: " + failure));
        hooks.run("on-failure", failed).ifPresent(this::warn);
    }

    /** @throws HookFailedException the first post- hook that failed, once the command's work is done */
    void requirePostHooksPassed() {
        synchronized (failedAfter) {
            if (!failedAfter.isEmpty()) {
                throw failedAfter.get(0);
            }
        }
    }

    /** Waits for an on-throttle hook still running, stops serving the metrics and pushes them. */
    @Override
    public void close() {
        throttleHooks.shutdown();
        try {
            if (!throttleHooks.awaitTermination(hooks.timeout().toSeconds() + 5, TimeUnit.SECONDS)) {
                warn("an on-throttle hook did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (push != null) {
            try {
                push.push(metrics.scrape());
            } catch (IOException e) {
                warn("pushing the metrics to " + push + " failed: " + e.getMessage());
            }
        }
    }

    private void warn(String message) {
        synchronized (err) {
            err.println("migrate " + phase + ": warning: " + message);
            err.flush();
        }
    }

    /** The database of a Tandem this command made: its config carries this observer's step listener. */
    private static OnDatabase on(Tandem tandem) {
        if (tandem.config().stepListener() instanceof OnDatabase on) {
            return on;
        }
        throw new IllegalStateException("a Tandem not configured through PhaseObserver.watch");
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** The kind of database, as its driver names it: postgresql, mariadb or mysql. */
    private static String kind(DataSource database) {
        try (Connection c = database.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
            throw new DatabaseException("cannot connect: " + Secrets.mask(e.getMessage()), e);
        }
    }

    /** One database's steps, reported to the metrics; and what its hooks are told of it. */
    private final class OnDatabase implements StepListener {
        private final FleetTarget target;
        private final String kind;
        /** When each running step started, in nanoseconds. */
        private final Map<Step, Long> running = new ConcurrentHashMap<>();

        /** @param kind null when no hook needs it */
        OnDatabase(FleetTarget target, String kind) {
            this.target = target;
            this.kind = kind;
        }

        RunMetrics.Labels labels(String migration) {
            return new RunMetrics.Labels(migration, target == null ? null : target.name());
        }

        /** The variables every hook of this database gets, names without the TANDEM_ prefix. */
        Map<String, String> context(String phase, String migration, String schema) {
            Map<String, String> context = new LinkedHashMap<>();
            context.put("PHASE", phase);
            context.put("MIGRATION", migration);
            context.put("SCHEMA", schema);
            if (kind != null) {
                context.put("DATABASE_KIND", kind);
            }
            if (target != null) {
                context.put("TARGET", target.name());
                context.put("WAVE", target.wave());
            }
            return context;
        }

        /** How a message about this database starts: the target on a fleet, nothing for one database. */
        String where() {
            return target == null ? "" : target.name() + ": ";
        }

        @Override
        public void stepStarted(String migration, String step) {
            running.put(new Step(migration, step), System.nanoTime());
            metrics.stepStarted(labels(migration), step);
        }

        @Override
        public void stepDone(String migration, String step, int statements) {
            Long start = running.remove(new Step(migration, step));
            metrics.stepDone(labels(migration), step, statements,
                    start == null ? Duration.ZERO : since(start));
        }

        @Override
        public void lockConflict(String migration, String step, int attempt, boolean retried) {
            metrics.lockConflict(labels(migration), step, retried);
        }

        /** A phase that failed leaves no step running. */
        void stepsEnded(RunMetrics.Labels labels) {
            for (Step step : running.keySet()) {
                if (step.migration().equals(labels.migration()) && running.remove(step) != null) {
                    metrics.stepEnded(labels, step.id());
                }
            }
        }
    }

    private record Step(String migration, String id) {
    }
}
