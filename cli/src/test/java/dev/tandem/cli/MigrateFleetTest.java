package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.state.HistoryEntry;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One migration across 20 databases (PostgreSQL, then MariaDB): a canary wave of 2, then the rest 4 at a time.
 * A lock held by an open transaction fails one target and stops its wave; a rerun after the lock is gone
 * finishes the fleet without redoing a finished target; fleet status matches each target's own; contract on the
 * fleet is refused while one target still has an old-version instance.
 */
@ParameterizedClass
@EnumSource(MigrateFleetTest.Server.class)
class MigrateFleetTest {
    enum Server { POSTGRESQL, MARIADB }

    private static final int TARGETS = 20;
    private static final int CANARIES = 2;
    /** The first target of the second wave: its failure stops that wave. */
    private static final int FAILING = CANARIES;
    private static final String MIGRATION = "add_display_name";
    private static final String SECRET = "s3cret-fleet-password";

    @Parameter
    Server server;
    @TempDir
    Path dir;

    private final List<Target> targets = new ArrayList<>();
    private Path migration;
    private Path fleet;

    /** One database of the fleet. */
    private record Target(String name, String url, String schema, StatementsAsVersion db, AutoCloseable drop) {
        Connection connect() throws SQLException {
            return db instanceof TestDatabase pg ? pg.connect() : ((MariaDbTestDatabase) db).connect();
        }

        /** A pool of its own, closed by the caller: 20 pools kept open would take too many connections. */
        HikariDataSource pool() {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(2);
            config.setMinimumIdle(0);
            return new HikariDataSource(config);
        }
    }

    /** What a target's own state says of the migration (if any): phase, and the events of its history. */
    private record State(String phase, List<String> events) {
    }

    /** Runs {@code work} on every target a few at a time (creating and dropping 20 databases one by one is slow). */
    private static <T, R> List<R> inParallel(List<T> items, ThrowingFunction<T, R> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private interface ThrowingFunction<T, R> {
        R apply(T item) throws Exception;
    }

    /** Each target's state, read directly from it, by target name. */
    private Map<String, State> states() throws Exception {
        List<State> states = inParallel(targets, target -> {
            try (HikariDataSource pool = target.pool()) {
                List<MigrationStatus> status = Tandem.create(pool, TandemConfig.builder().schema(target.schema())
                        .build()).status();
                return status.isEmpty() ? new State("none", List.of()) : new State(status.get(0).phase(),
                        status.get(0).history().stream().map(HistoryEntry::event).toList());
            }
        });
        Map<String, State> byName = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            byName.put(targets.get(i).name(), states.get(i));
        }
        return byName;
    }

    @BeforeEach
    void createFleet() throws Exception {
        targets.addAll(inParallel(IntStream.range(0, TARGETS).boxed().toList(), i -> {
            if (server == Server.POSTGRESQL) {
                TestDatabase pg = TestDatabase.create();
                pg.execute("CREATE TABLE customers (id bigint PRIMARY KEY, first_name varchar(50))",
                        "INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace')");
                return new Target(pg.name(), pg.url(), "public", pg, pg);
            }
            MariaDbTestDatabase maria = MariaDbTestDatabase.create();
            maria.execute("CREATE TABLE customers (id BIGINT PRIMARY KEY, first_name VARCHAR(50))",
                    "INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace')");
            return new Target(maria.name(), maria.url(maria.name()), maria.name(), maria, maria);
        }));
        migration = Files.writeString(dir.resolve(MIGRATION + ".yaml"), "name: " + MIGRATION + "\n"
                + "operations:\n  - add_column:\n      table: customers\n"
                + "      column: {name: display_name, type: varchar(50)}\n      up: first_name\n");
        Target first = targets.get(0);
        String template = first.url().replace(first.name(), "{name}");
        // PostgreSQL here trusts local connections, so the password goes through every path unused: it must
        // never show. MariaDB's root has none, so its targets name no credentials.
        String credentials = "";
        if (server == Server.POSTGRESQL) {
            credentials = "credentials:\n  secrets_file: fleet.secrets\n  password_key: '{name}.password'\n";
            Files.writeString(dir.resolve("fleet.secrets"), targets.stream()
                    .map(t -> t.name() + ".password=" + SECRET + "\n").collect(Collectors.joining()));
        }
        fleet = Files.writeString(dir.resolve("fleet.yaml"), "concurrency: 4\n" + credentials + "waves:\n"
                + "  - name: canary\n    url_template: '" + template + "'\n    names: " + names(0, CANARIES) + "\n"
                + "  - name: rest\n    url_template: '" + template + "'\n    names: " + names(CANARIES, TARGETS)
                + "\n");
    }

    private String names(int from, int to) {
        return targets.subList(from, to).stream().map(Target::name).collect(Collectors.joining(", ", "[", "]"));
    }

    @AfterEach
    void dropFleet() throws Exception {
        inParallel(targets, target -> {
            target.drop().close();
            return null;
        });
    }

    private Cli.Result migrate(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--fleet", fleet.toString()));
        Cli.Result result = Cli.runRaw(all.toArray(String[]::new));
        assertThat(result.out() + result.err()).as("the password never shows").doesNotContain(SECRET);
        return result;
    }

    /** The per-target results of a JSON fleet report, by target name. */
    private static Map<String, JsonNode> byTarget(JsonNode report) {
        Map<String, JsonNode> results = new HashMap<>();
        report.get("targets").forEach(t -> results.put(t.get("target").asText(), t));
        return results;
    }

    @Test
    void aFailingTargetStopsItsWaveAndARerunFinishesTheFleet() throws Exception {
        Target failing = targets.get(FAILING);
        Map<String, JsonNode> first;
        try (Connection reader = failing.connect(); Statement s = reader.createStatement()) {
            reader.setAutoCommit(false);
            // an open transaction that read the table: expand's ALTER TABLE waits for its lock and times out
            s.executeQuery("SELECT count(*) FROM customers").close();

            Cli.Result stopped = migrate("expand", migration.toString(), "--lock-timeout", "100", "--lock-retries",
                    "1", "--output", "json");

            assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(ExitCodes.DATABASE);
            first = byTarget(stopped.json());
            assertThat(stopped.json().at("/summary/failed").asInt()).as(stopped.toString()).isEqualTo(1);
            reader.rollback();
        }
        JsonNode failure = first.get(failing.name());
        assertThat(failure.get("result").asText()).isEqualTo("failed");
        assertThat(failure.at("/error/code").asInt()).isEqualTo(ExitCodes.DATABASE);
        assertThat(failure.at("/error/message").asText()).contains("could not take the").contains("lock");
        Map<String, State> afterFailure = states();
        for (Target target : targets) {
            String result = first.get(target.name()).get("result").asText();
            String phase = afterFailure.get(target.name()).phase();
            switch (result) {
                case "done" -> assertThat(phase).as(target.name()).isEqualTo("expanded");
                case "not_started" -> assertThat(phase).as(target.name()).isEqualTo("none");
                default -> assertThat(target).isSameAs(failing);
            }
        }
        assertThat(targets.subList(0, CANARIES)).allSatisfy(
                t -> assertThat(first.get(t.name()).get("result").asText()).isEqualTo("done"));

        Cli.Result rerun = migrate("expand", migration.toString(), "--lock-timeout", "100");

        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        Map<String, State> afterRerun = states();
        for (Target target : targets) {
            String wave = targets.indexOf(target) < CANARIES ? "canary" : "rest";
            boolean finishedBefore = first.get(target.name()).get("result").asText().equals("done");
            assertThat(rerun.out()).contains(wave + "/" + target.name() + ": "
                    + (finishedBefore ? "already done (already expanded)" : "expanded ("));
            assertThat(afterRerun.get(target.name()).phase()).isEqualTo("expanded");
            // one expand each: finished targets were not redone, and the failed one continued its own expand
            assertThat(afterRerun.get(target.name()).events()).as(target.name())
                    .containsOnlyOnce("expand started", "expanded");
        }
        assertThat(rerun.out()).contains("expand on 20 targets of " + fleet + ": ");

        Cli.Result backfill = migrate("backfill", "--output", "json");
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
        assertThat(backfill.json().at("/summary/done").asInt()).isEqualTo(TARGETS);
        Cli.Result again = migrate("backfill", "--output", "json");
        assertThat(again.json().at("/summary/already_done").asInt()).as(again.toString()).isEqualTo(TARGETS);

        Target old = targets.get(TARGETS - 1);
        try (HikariDataSource pool = old.pool(); InstanceRegistration instance = PhaseGuard.builder("base")
                .schema(old.schema()).host("old-app-1").build().start(pool)) {
            fleetStatusMatchesEachTargetsOwn();

            Cli.Result refused = migrate("contract");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
            assertThat(refused.err()).contains("contract refused on the whole fleet: 1 live instance(s) of an old "
                    + "version: " + old.name() + ": old-app-1 (version base, last seen ");
            assertThat(states().values()).allSatisfy(state -> assertThat(state.phase()).isEqualTo("expanded"));
        }

        Cli.Result contract = migrate("contract", "--output", "json");
        assertThat(contract.exitCode()).as(contract.toString()).isZero();
        assertThat(contract.json().at("/summary/done").asInt()).as(contract.toString()).isEqualTo(TARGETS);
        assertThat(migrate("status").out()).contains("20 targets: 20 complete; 0 failed");
    }

    /** Must show 2: the fleet's status of each target is what {@code migrate status} on that target says. */
    private void fleetStatusMatchesEachTargetsOwn() throws Exception {
        Cli.Result fleetStatus = migrate("status", "--output", "json");
        assertThat(fleetStatus.exitCode()).as(fleetStatus.toString()).isZero();
        Map<String, JsonNode> rows = byTarget(fleetStatus.json());
        List<JsonNode> owns = inParallel(targets,
                target -> Cli.runRaw("status", "--output", "json", "--url", target.url()).json());
        for (Target target : targets) {
            JsonNode own = owns.get(targets.indexOf(target));
            JsonNode row = rows.get(target.name());
            JsonNode ownMigration = own.at("/migrations/0");
            assertThat(row.get("migration").asText()).isEqualTo(ownMigration.get("name").asText());
            assertThat(row.get("phase").asText()).isEqualTo(ownMigration.get("phase").asText());
            assertThat(row.get("backfill_complete")).isEqualTo(ownMigration.get("backfill_complete"));
            assertThat(row.get("backfill")).isEqualTo(ownMigration.get("backfill"));
            Map<String, Integer> ownLive = new HashMap<>();
            own.get("live_instances").fields().forEachRemaining(e -> ownLive.put(e.getKey(), e.getValue().size()));
            Map<String, Integer> fleetLive = new HashMap<>();
            row.get("live_versions").fields().forEachRemaining(e -> fleetLive.put(e.getKey(), e.getValue().asInt()));
            assertThat(fleetLive).as(target.name()).isEqualTo(ownLive);
        }
        assertThat(rows.get(targets.get(TARGETS - 1).name()).at("/live_versions/base").asInt()).isEqualTo(1);
        assertThat(fleetStatus.json().at("/phases/expanded").asInt()).isEqualTo(TARGETS);
        assertThat(fleetStatus.json().get("failed").asInt()).isZero();
        Cli.Result text = migrate("status");
        assertThat(text.out()).contains("TARGET", "LIVE VERSIONS", "20 targets: 20 expanded; 0 failed")
                .containsPattern(targets.get(TARGETS - 1).name() + " +rest +" + MIGRATION + " +expanded +2 rows, done +base=1");
    }
}
