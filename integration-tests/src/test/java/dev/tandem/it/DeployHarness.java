package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.MigrationParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What the deploy tests share: a fresh shop database, {@link ProductsApi} instances as processes, the
 * {@link RoundRobinProxy} in front of them, the {@link LoadGenerator}, and {@code migrate} (the CLI, in this JVM)
 * run at the deploy's stages on {@code product_listing} of migrations-examples, the same file on PostgreSQL and
 * MariaDB. Every stage is printed with the time it began; the latency of the deploy is printed next to the same
 * load on the old instances without a deploy, and appended to {@code target/deploy-latency.md}.
 */
final class DeployHarness implements AutoCloseable {
    /** How long the run without a deploy lasts; the deploy takes about as long. */
    private static final long BASELINE_MILLIS = 6_000;
    private static final long WARM_UP_MILLIS = 2_000;
    private static final int CLIENTS = 3;

    private final AppDatabase.Kind kind;
    private final String strategy;
    private final AppDatabase db;
    private final Path work;
    private final Path migrationFile;
    private final RoundRobinProxy proxy;
    private final List<ApiInstance> running = new ArrayList<>();
    private final List<LoadGenerator> loads = new ArrayList<>();
    private final long began = System.nanoTime();

    DeployHarness(AppDatabase.Kind kind, String strategy) throws IOException {
        this.kind = kind;
        this.strategy = strategy;
        db = kind.create();
        work = Files.createDirectories(Path.of("target", "deploy", strategy + "-" + kind.name().toLowerCase()));
        migrationFile = work.resolve(ProductsApi.MIGRATION + ".yaml");
        try (InputStream example = DeployHarness.class.getClassLoader()
                .getResourceAsStream("migrations/" + ProductsApi.MIGRATION + ".yaml")) {
            Files.write(migrationFile, example.readAllBytes());
        }
        proxy = new RoundRobinProxy();
    }

    RoundRobinProxy proxy() {
        return proxy;
    }

    /** Starts instances of {@code build} side by side; returns once each listens and its readiness probe passes. */
    List<ApiInstance> start(String build, String... names) {
        stage("start " + String.join(", ", names) + " (" + build + ")");
        List<CompletableFuture<ApiInstance>> starting = new ArrayList<>();
        for (String name : names) {
            starting.add(CompletableFuture.supplyAsync(() -> ApiInstance.start(build, name, db, work)));
        }
        List<ApiInstance> started = starting.stream().map(CompletableFuture::join).toList();
        running.addAll(started);
        started.forEach(instance -> assertThat(instance.ready()).as(instance + " ready").isTrue());
        return started;
    }

    /** Drains {@code instance}, which must have left the proxy's rotation, then stops it (SIGTERM). */
    void stop(ApiInstance instance) throws InterruptedException {
        stage("stop " + instance.name());
        proxy.drain(instance);
        instance.close();
        running.remove(instance);
    }

    /**
     * Runs phase {@code command} of the migration through the coordinator's API, as {@code migrate COMMAND} does at
     * this stage of a pipeline; it must succeed. (Integration tests do not depend on the CLI; the CLI's own tests
     * cover the command line.)
     */
    void migrate(String command) {
        stage("migrate " + command);
        Tandem tandem = db.tandem();
        switch (command) {
            case "expand" -> tandem.expand(new MigrationParser().parse(migrationFile));
            case "backfill" -> tandem.backfill(ProductsApi.MIGRATION, BackfillListener.NONE);
            case "contract" -> tandem.contract(ProductsApi.MIGRATION);
            default -> throw new IllegalArgumentException("no phase " + command);
        }
    }

    /**
     * The load on the instances of the current rotation for a while, without a deploy, after as long a warm-up
     * (not measured) as the old instances get before the deploy's load starts.
     */
    LoadGenerator.Report baseline() throws InterruptedException {
        stage("warm-up");
        LoadGenerator warmUp = load("W");
        Thread.sleep(WARM_UP_MILLIS);
        warmUp.stop();
        stage("baseline load, no deploy");
        LoadGenerator load = load("B");
        Thread.sleep(BASELINE_MILLIS);
        LoadGenerator.Report baseline = load.stop();
        assertThat(baseline.failures()).as("failed requests without a deploy").isEmpty();
        return baseline;
    }

    /** Starts the load that runs through the whole deploy. */
    LoadGenerator load() {
        stage("load starts");
        return load("D");
    }

    private LoadGenerator load(String run) {
        LoadGenerator load = new LoadGenerator(proxy.uri(), run + UUID.randomUUID().toString().substring(0, 8));
        loads.add(load);
        return load.start(CLIENTS);
    }

    /**
     * Lets the new build serve on for a second after contract, stops the load and reports it next to
     * {@code baseline}. Not one request may have failed, and every product the load created, through either
     * build, must read back with its price from the new build.
     */
    LoadGenerator.Report finish(LoadGenerator load, LoadGenerator.Report baseline) throws Exception {
        Thread.sleep(1_000);
        LoadGenerator.Report deploy = load.stop();
        report(baseline, deploy);
        assertThat(deploy.failures()).as("failed requests across the deploy").isEmpty();
        assertThat(load.unlikeCreated()).as("products created during the deploy, read from the new build").isEmpty();
        return deploy;
    }

    void stage(String what) {
        System.out.printf("[%s %s %6.1f s] %s%n", strategy, kind, (System.nanoTime() - began) / 1e9, what);
    }

    /** Prints the two runs side by side and appends them to target/deploy-latency.md. */
    private void report(LoadGenerator.Report baseline, LoadGenerator.Report deploy) throws IOException {
        String row = String.format("| %s | %s | %d | %d | %.1f | %d | %d | %.1f | %.1f |%n", strategy,
                kind == AppDatabase.Kind.POSTGRESQL ? "PostgreSQL" : "MariaDB", baseline.requests(),
                baseline.failures().size(), baseline.p99Millis(), deploy.requests(), deploy.failures().size(),
                deploy.p99Millis(), deploy.maxMillis());
        System.out.println(strategy + " on " + kind + ": without a deploy " + baseline + "; across the deploy "
                + deploy + "; requests per instance " + proxy.served());
        Files.writeString(Path.of("target", "deploy-latency.md"), row, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public void close() {
        try {
            for (LoadGenerator load : loads) {
                load.close();
            }
            running.forEach(ApiInstance::close);
            proxy.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            db.close();
        }
    }
}
