package dev.tandem.cli.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.PlanReport;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationOperation;
import dev.tandem.coordinator.migration.MigrationParser;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code migrate demo}: a zero-downtime migration on an embedded PostgreSQL while two versions of a shop
 * application keep working. The old version runs from the start and stops before contract, as it would at
 * the end of a rolling deploy; the new version starts after expand and runs through contract. Afterwards
 * every value either version wrote is checked.
 */
public final class Demo {
    private static final String MIGRATION = "migrations/demo.yaml";
    /** Small, so the backfill shows several batches on the shop's few hundred rows. */
    private static final int BATCH_SIZE = 25;
    private static final Duration ROUND_PAUSE = Duration.ofMillis(120);
    /** Lets the apps write between backfill batches, so the output shows them side by side. */
    private static final Duration BATCH_PAUSE = Duration.ofMillis(80);
    /** How long the apps work on their own between two phases. */
    private static final Duration BETWEEN_PHASES = Duration.ofMillis(1200);

    private final EmbeddedPostgres postgres;
    private final Narrator narrator;
    private volatile String phase = "before expand";

    private Demo(EmbeddedPostgres postgres, Narrator narrator) {
        this.postgres = postgres;
        this.narrator = narrator;
    }

    /** Runs the demo; returns 0 when every check passed, 1 otherwise (what is wrong is printed). */
    public static int run(PrintWriter out, PrintWriter err) {
        return play(out, err).verified() ? 0 : 1;
    }

    /**
     * What a run of the demo came to.
     *
     * @param problems what was wrong: failed checks, or the failure that ended the demo
     */
    public record Outcome(boolean verified, List<String> problems) {
    }

    /** Runs the demo, telling what happens on {@code narration} and failures with their stack on {@code err}. */
    public static Outcome play(PrintWriter narration, PrintWriter err) {
        Narrator narrator = new Narrator(narration);
        EmbeddedPostgres postgres = null;
        try {
            narrator.say("Starting an embedded PostgreSQL ...");
            long start = System.nanoTime();
            postgres = EmbeddedPostgres.builder().start();
            List<String> problems = new Demo(postgres, narrator).play(System.nanoTime() - start);
            narrator.say("");
            if (problems.isEmpty()) {
                narrator.say("demo verified");
                return new Outcome(true, List.of());
            }
            narrator.say("demo FAILED:");
            problems.forEach(problem -> narrator.say("  - " + problem));
            return new Outcome(false, problems);
        } catch (IOException | SQLException | RuntimeException e) {
            err.println("demo failed: " + e.getMessage());
            e.printStackTrace(err);
            return new Outcome(false, List.of("demo failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("demo interrupted");
            return new Outcome(false, List.of("demo interrupted"));
        } finally {
            stop(postgres, err);
            narration.flush();
            err.flush();
        }
    }

    private String phase() {
        return phase;
    }

    private List<String> play(long startupNanos) throws SQLException, InterruptedException {
        String url = postgres.getJdbcUrl("postgres", "postgres");
        try (HikariDataSource tandemPool = pool(url)) {
            Expected expected = loadShop(tandemPool, startupNanos);
            Tandem tandem = Tandem.create(tandemPool, TandemConfig.builder().batchSize(BATCH_SIZE)
                    .batchSizeBounds(BATCH_SIZE, BATCH_SIZE).build());
            Migration migration = migration();
            narrator.say("Migration " + migration.name() + " from " + MIGRATION + ": "
                    + String.join(", ", migration.operations().stream().map(MigrationOperation::kind).toList()));
            List<App> apps = migrateWhileAppsRun(url, tandem, migration, expected);
            return verify(tandemPool, tandem, migration, expected, apps);
        }
    }

    private Expected loadShop(HikariDataSource pool, long startupNanos) throws SQLException {
        try (Connection c = pool.getConnection()) {
            narrator.say(String.format("PostgreSQL %s on port %d, started in %.1f s",
                    value(c, "SHOW server_version"), postgres.getPort(), startupNanos / 1e9));
            ShopSchema.load(c);
            narrator.say("Shop schema loaded: " + value(c, "SELECT count(*) FROM customers") + " customers, "
                    + value(c, "SELECT count(*) FROM products") + " products, "
                    + value(c, "SELECT count(*) FROM orders") + " orders");
            return Expected.fromShop(c);
        }
    }

    /** The old app runs until the rolling deploy is done, the new app from expand to the end; both are closed. */
    private List<App> migrateWhileAppsRun(String url, Tandem tandem, Migration migration, Expected expected)
            throws InterruptedException {
        PlanReport plan = tandem.plan(migration);
        narrator.say("");
        narrator.say("The old app starts: prices in dollars (products.price), search_path public");
        App oldApp = App.start("old app", url, List.of("public"), new OldVersion(expected), ROUND_PAUSE,
                this::phase, narrator::say);
        App newApp = null;
        try {
            pause(BETWEEN_PHASES);
            expand(tandem, migration, plan);

            List<String> searchPath = List.of(plan.versionSchema(), "public");
            narrator.say("The new app starts: prices in cents (price_cents), display names, search_path "
                    + String.join(", ", searchPath));
            newApp = App.start("new app", url, searchPath, new NewVersion(expected), ROUND_PAUSE, this::phase,
                    narrator::say);
            pause(BETWEEN_PHASES);
            backfill(tandem, migration);
            phase = "dual-write window";
            pause(BETWEEN_PHASES);

            oldApp.close();
            narrator.say("");
            narrator.say("The rolling deploy is done: the old app has stopped, only the new app runs");
            contract(tandem, migration, plan);
            phase = "after contract";
            pause(BETWEEN_PHASES);
        } finally {
            oldApp.close();
            if (newApp != null) {
                newApp.close();
            }
        }
        return List.of(oldApp, newApp);
    }

    private void expand(Tandem tandem, Migration migration, PlanReport plan) {
        phase = "expand";
        narrator.phase("expand", "add what the new version needs without breaking the old one");
        narrator.plan(plan.expand());
        timed(() -> tandem.expand(migration));
        narrator.say("   the new version's views are in schema " + plan.versionSchema()
                + "; sync triggers translate every write of one version for the other");
        phase = "expanded";
    }

    private void backfill(Tandem tandem, Migration migration) {
        phase = "backfill";
        narrator.phase("backfill", "fill the new columns of existing rows, " + BATCH_SIZE
                + " rows per batch, while both apps write");
        timed(() -> tandem.backfill(migration.name(), progress -> {
            narrator.backfill(progress);
            sleepQuietly(BATCH_PAUSE);
        }));
        narrator.say("   rows written since expand already had their new values (from the new app or the sync "
                + "triggers), so the backfill skipped them");
    }

    private void contract(Tandem tandem, Migration migration, PlanReport plan) {
        phase = "contract";
        narrator.phase("contract", "remove the old shape; the new app keeps running through its views");
        narrator.plan(plan.contract());
        timed(() -> tandem.contract(migration.name()));
    }

    private void timed(Supplier<PhaseResult> run) {
        long start = System.nanoTime();
        PhaseResult result = run.get();
        narrator.result(result, (System.nanoTime() - start) / 1_000_000);
    }

    private List<String> verify(HikariDataSource pool, Tandem tandem, Migration migration, Expected expected,
                                List<App> apps) throws SQLException {
        narrator.say("");
        List<String> problems = new ArrayList<>();
        for (App app : apps) {
            narrator.say(String.format("%-8s: %5d statements run, %d failed, %d wrong values read back", app.name(),
                    app.statements(), app.failed(), app.wrongValues()));
            problems.addAll(app.problems());
        }
        String migrationPhase = tandem.status().stream().filter(s -> s.name().equals(migration.name()))
                .map(MigrationStatus::phase).findFirst().orElse("missing");
        if (!"complete".equals(migrationPhase)) {
            problems.add("migration " + migration.name() + " is " + migrationPhase + ", not complete");
        }
        try (Connection c = pool.getConnection()) {
            problems.addAll(FinalCheck.problems(c, expected));
            narrator.say("Checked " + expected.priceCents().size() + " product prices in cents, "
                    + value(c, "SELECT count(*) FROM customers") + " customer display names ("
                    + expected.displayNames().size() + " written by the new app), and that no _tandem object is left");
        }
        return problems;
    }

    private static Migration migration() {
        return new MigrationParser().parse(MIGRATION, ClassPathResource.bytes(MIGRATION));
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("tandem");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private static String value(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(EmbeddedPostgres postgres, PrintWriter err) {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            err.println("could not stop the embedded PostgreSQL: " + e.getMessage());
        }
    }
}
