package dev.tandem.coordinator.fleet;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Runs one piece of work (a phase, a status read) on every target of a fleet, wave by wave, at most the fleet's
 * concurrency at a time, each target on a pool of its own that is closed when its work ends. The work runs
 * through {@link Tandem}'s public API only, so each target's own state says what is done, and a rerun continues
 * where the last run stopped.
 */
public final class FleetRunner {
    /** What a failure does to the targets after it. */
    public enum Policy {
        /**
         * A failure stops its wave: targets already running finish, no other starts, and later waves do not
         * start.
         */
        STOP,
        /** Every target of the wave runs despite failures; a later wave still starts only after a clean one. */
        KEEP_GOING,
        /** Every target runs, whatever fails: for reads such as status. */
        ALL
    }

    /** The config of one target, made when the target's run starts. */
    @FunctionalInterface
    public interface TargetConfigs {
        /** @param pool the target's pool, for the default schema when the target names none */
        TandemConfig config(FleetTarget target, DataSource pool);
    }

    private final Fleet fleet;
    private final int poolSize;
    private final TargetConfigs configs;

    /**
     * @param poolSize connections of each target's pool
     * @param configs  the config for a target, from its pool (for the default schema) and its own schema or null
     */
    public FleetRunner(Fleet fleet, int poolSize, BiFunction<DataSource, String, TandemConfig> configs) {
        this(fleet, poolSize, (TargetConfigs) (target, pool) -> configs.apply(pool, target.schema()));
    }

    private FleetRunner(Fleet fleet, int poolSize, TargetConfigs configs) {
        this.fleet = fleet;
        this.poolSize = poolSize;
        this.configs = configs;
    }

    /** A runner whose configs may differ by target (their listeners named after it, say). */
    public static FleetRunner perTarget(Fleet fleet, int poolSize, TargetConfigs configs) {
        return new FleetRunner(fleet, poolSize, configs);
    }

    public Fleet fleet() {
        return fleet;
    }

    /**
     * Runs {@code work} on every target allowed by {@code policy}. {@code listener} hears of each target as it ends
     * (one at a time); the results come back in fleet order, not-started targets included.
     */
    public <T> List<TargetResult<T>> run(Function<Tandem, T> work, Policy policy,
                                         Consumer<TargetResult<T>> listener) {
        List<TargetResult<T>> results = new ArrayList<>();
        AtomicBoolean failed = new AtomicBoolean();
        for (Fleet.Wave wave : fleet.waves()) {
            if (failed.get() && policy != Policy.ALL) {
                wave.targets().forEach(t -> results.add(notStarted(t, listener)));
                continue;
            }
            results.addAll(runWave(wave, work, policy, failed, listener));
        }
        return results;
    }

    /**
     * The application instances that contract on the fleet would strand: on every target where
     * {@code migration} (the migration a target's contract acts on) is expanded or contracting, the live instances
     * of any other version, as "target: host (version ..., last seen ...)". A target that cannot be read is left
     * to its own contract, which checks its instances again under the registry lock.
     */
    public List<String> liveOldInstances(Function<Tandem, String> migration) {
        List<TargetResult<List<String>>> results = run(tandem -> {
            String name = migration.apply(tandem);
            boolean removesOld = tandem.status().stream().anyMatch(m -> m.name().equals(name)
                    && (m.phase().equals(Phase.EXPANDED.label()) || m.phase().equals(Phase.CONTRACTING.label())));
            if (!removesOld) {
                return List.<String>of();
            }
            return tandem.liveInstances().entrySet().stream().filter(e -> !e.getKey().equals(name))
                    .flatMap(e -> e.getValue().stream()).map(LiveInstance::describe).toList();
        }, Policy.ALL, result -> { });
        List<String> live = new ArrayList<>();
        for (TargetResult<List<String>> result : results) {
            if (result.value() != null) {
                result.value().forEach(instance -> live.add(result.target().name() + ": " + instance));
            }
        }
        return live;
    }

    private <T> List<TargetResult<T>> runWave(Fleet.Wave wave, Function<Tandem, T> work, Policy policy,
                                              AtomicBoolean failed, Consumer<TargetResult<T>> listener) {
        AtomicInteger thread = new AtomicInteger();
        int threads = Math.max(1, Math.min(fleet.concurrency(), wave.targets().size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                r -> new Thread(r, "tandem-fleet-" + wave.name() + "-" + thread.incrementAndGet()));
        try {
            List<Future<TargetResult<T>>> futures = new ArrayList<>();
            for (FleetTarget target : wave.targets()) {
                futures.add(pool.submit(() -> {
                    if (failed.get() && policy == Policy.STOP) {
                        return notStarted(target, listener);
                    }
                    TargetResult<T> result = runOne(target, work);
                    if (result.outcome() == TargetResult.Outcome.FAILED) {
                        failed.set(true);
                    }
                    tell(listener, result);
                    return result;
                }));
            }
            List<TargetResult<T>> results = new ArrayList<>();
            for (Future<TargetResult<T>> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while wave '" + wave.name() + "' ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private <T> TargetResult<T> runOne(FleetTarget target, Function<Tandem, T> work) {
        try (HikariDataSource pool = target.open(poolSize)) {
            T value = work.apply(Tandem.create(pool, configs.config(target, pool)));
            return new TargetResult<>(target, TargetResult.Outcome.DONE, value, null);
        } catch (RuntimeException e) {
            return new TargetResult<>(target, TargetResult.Outcome.FAILED, null, e);
        }
    }

    private <T> TargetResult<T> notStarted(FleetTarget target, Consumer<TargetResult<T>> listener) {
        TargetResult<T> result = new TargetResult<>(target, TargetResult.Outcome.NOT_STARTED, null, null);
        tell(listener, result);
        return result;
    }

    private synchronized <T> void tell(Consumer<TargetResult<T>> listener, TargetResult<T> result) {
        listener.accept(result);
    }
}
