package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill running in a {@code migrate} process of its own is steered from this one with {@code migrate control}:
 * its rate lowered (the rows per second observed drop), paused (no row changes for seconds, the process alive),
 * killed and started again (the new process stays paused), resumed, and it completes. Status shows each state, the
 * history each change, the backfill's metrics the paused state and the rate.
 */
class BackfillControlTest {
    private static final int ROWS = 30_000;
    /** How long a change may take to reach the workers: one batch, and the wait between two reads when paused. */
    private static final long TAKE_ON_MILLIS = 1_500;

    @TempDir
    Path logs;

    @Test
    void postgresBackfillIsSlowedPausedKilledRerunPausedResumedAndCompletes() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            db.execute("INSERT INTO customers (email, first_name, last_name) SELECT 'bulk' || g || '@example.com', "
                    + "'F' || g, 'L' || g FROM generate_series(1, " + ROWS + ") AS g");
            Path migration = Path.of("../migrations-examples/src/main/resources/migrations/add_column.yaml");
            steer(List.of("--url", db.url()), migration,
                    () -> Long.parseLong(db.value("SELECT count(*) FROM customers WHERE display_name IS NULL")));
        }
    }

    @Test
    void mariaDbBackfillIsSlowedPausedKilledRerunPausedResumedAndCompletes() throws Exception {
        try (MariaDbTestDatabase db = MariaDbTestDatabase.create()) {
            db.execute(Examples.schema("shop-mariadb.sql"));
            db.execute("INSERT INTO customers (email, first_name, last_name) SELECT CONCAT('bulk', seq, "
                    + "'@example.com'), CONCAT('F', seq), CONCAT('L', seq) FROM seq_1_to_" + ROWS);
            Path migration = Files.writeString(logs.resolve("add_display_name.yaml"), "name: add_display_name\n"
                    + "operations:\n  - add_column: {table: customers, column: {name: display_name, type: varchar(120)},"
                    + " up: \"CONCAT(first_name, ' ', last_name)\"}\n");
            steer(List.of("--url", db.url(db.name())), migration,
                    () -> Long.parseLong(db.value("SELECT count(*) FROM customers WHERE display_name IS NULL")));
        }
    }

    private void steer(List<String> url, Path migration, LongSupplier pending) throws Exception {
        Cli cli = new Cli(url);
        assertThat(cli.run("expand", migration.toString()).exitCode()).isZero();
        String[] backfill = {"backfill", "--output", "json", "--batch-size", "100", "--batch-max", "100",
            "--max-rate", "3000", "--metrics-port", "0"};
        try (Migrate first = new Migrate(url, backfill)) {
            awaitAdvancing(first, pending);
            double before = rowsPerSecond(pending);

            assertThat(cli.run("control", "--max-rate", "200").exitCode()).isZero();
            Thread.sleep(TAKE_ON_MILLIS);
            double after = rowsPerSecond(pending);
            assertThat(after).as("rows/s at --max-rate 200, against %s before", before)
                    .isLessThan(before / 2).isLessThanOrEqualTo(300);
            assertThat(status(cli).get("backfill_control").get("max_rate").asLong()).isEqualTo(200);

            assertThat(cli.run("control", "--pause").exitCode()).isZero();
            Thread.sleep(TAKE_ON_MILLIS);
            assertStill(pending);
            assertThat(first.process.isAlive()).as("the paused backfill waits").isTrue();
            assertThat(status(cli).get("backfill_control").get("paused").asBoolean()).isTrue();
            assertThat(cli.run("status").out()).contains("backfill control: paused; max rate 200 rows/s");
            assertThat(first.log()).contains("\"event\":\"paused\"").contains("paused by migrate control");
            String metrics = first.scrape();
            assertThat(metrics).contains("tandem_backfill_paused{migration=\"add_display_name\"} 1.0")
                    .contains("tandem_backfill_max_rate{migration=\"add_display_name\"} 200.0")
                    .contains("tandem_backfill_workers{migration=\"add_display_name\"} 1.0");
            first.process.destroyForcibly();
            first.process.waitFor(30, TimeUnit.SECONDS);
        }
        try (Migrate rerun = new Migrate(url, backfill)) {
            rerun.awaitLine("paused by migrate control");
            assertStill(pending);
            assertThat(pending.getAsLong()).as("rows left for the resumed backfill").isPositive();

            assertThat(cli.run("control", "--pause", "--resume").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(cli.run("control", "--resume").exitCode()).isZero();
            assertThat(cli.run("control", "--reset").exitCode()).isZero();
            rerun.assertSucceeds();
        }
        assertThat(pending.getAsLong()).isZero();
        JsonNode status = status(cli);
        assertThat(status.get("backfill_complete").asBoolean()).isTrue();
        assertThat(status.get("backfill_control").get("paused").asBoolean()).isFalse();
        assertThat(status.get("backfill_control").get("max_rate").isNull()).isTrue();
        List<String> events = StreamSupport.stream(status.get("history").spliterator(), false)
                .map(entry -> entry.get("event").asText()).filter(e -> e.startsWith("backfill")).toList();
        assertThat(events).containsExactly("backfill max rate", "backfill paused", "backfill resumed",
                "backfill max rate", "backfilled");
        assertThat(cli.run("contract").exitCode()).isZero();
    }

    private static JsonNode status(Cli cli) {
        Cli.Result result = cli.run("status", "--output", "json");
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result.json().get("migrations").get(0);
    }

    /** Waits (however long the JVM takes to start on a loaded machine) until the backfill has filled rows. */
    private static void awaitAdvancing(Migrate backfill, LongSupplier pending) throws Exception {
        long atStart = pending.getAsLong();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (pending.getAsLong() == atStart) {
            assertThat(backfill.process.isAlive()).as("the backfill: %s", backfill.log()).isTrue();
            assertThat(System.nanoTime()).as("the backfill started in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The rows filled per second over two seconds. */
    private static double rowsPerSecond(LongSupplier pending) throws InterruptedException {
        long start = System.nanoTime();
        long before = pending.getAsLong();
        Thread.sleep(2_000);
        long after = pending.getAsLong();
        return (before - after) * 1e9 / (System.nanoTime() - start);
    }

    /** No row is filled over two seconds. */
    private static void assertStill(LongSupplier pending) throws InterruptedException {
        long before = pending.getAsLong();
        Thread.sleep(2_000);
        assertThat(pending.getAsLong()).as("rows left after two seconds paused").isEqualTo(before);
    }

    /** One {@code migrate} process, its output kept in a file; killed when closed if it has not ended. */
    private final class Migrate implements AutoCloseable {
        private final Process process;
        private final Path log;

        Migrate(List<String> url, String... command) throws IOException {
            List<String> arguments = new ArrayList<>(List.of(command));
            arguments.addAll(url);
            log = Files.createTempFile(logs, "migrate", ".log");
            process = MigrateProcess.start(List.of(), arguments, ProcessBuilder.Redirect.to(log.toFile()));
        }

        String log() throws IOException {
            return Files.readString(log);
        }

        /** The metrics the process serves, at the address it printed. */
        String scrape() throws Exception {
            Matcher address = Pattern.compile("metrics: (http://\\S+)").matcher(log());
            assertThat(address.find()).as("the metrics address in %s", log()).isTrue();
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(address.group(1))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        void awaitLine(String text) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!log().contains(text)) {
                assertThat(process.isAlive()).as("migrate, which should print %s: %s", text, log()).isTrue();
                assertThat(System.nanoTime()).as("migrate printed %s in time", text).isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        void assertSucceeds() throws Exception {
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the backfill ends").isTrue();
            assertThat(process.exitValue()).as("the backfill: %s", log()).isZero();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
