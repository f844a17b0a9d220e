package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics of a phase command: scraped from {@code --metrics-port} while a slow, throttled backfill runs, and
 * pushed to a Pushgateway ({@code --metrics-push}) when expand and a contract that met lock timeouts end.
 */
class MigrateMetricsTest {
    private static final String MIGRATION = "migration=\"add_display_name\"";

    @TempDir
    Path dir;

    @Test
    void aBackfillServesItsMetricsWhileItRunsAndPhasesPushThemAtTheirEnd() throws Exception {
        try (TestDatabase db = TestDatabase.create(); HttpRecorder gateway = new HttpRecorder()) {
            db.execute(Examples.shop());
            Cli cli = new Cli(db);

            Cli.Result expand = cli.run("expand", Cli.example(dir, "add_column.yaml").toString(),
                    "--metrics-push", gateway.url());
            assertThat(expand.exitCode()).as(expand.toString()).isZero();
            HttpRecorder.Request pushed = gateway.only();
            assertThat(pushed.method()).isEqualTo("PUT");
            assertThat(pushed.path()).isEqualTo("/metrics/job/tandem");
            assertThat(pushed.contentType()).startsWith("text/plain; version=0.0.4");
            assertThat(value(pushed.body(), "tandem_phase_seconds_count{" + MIGRATION
                    + ",outcome=\"done\",phase=\"expand\"}")).isEqualTo(1);
            assertThat(value(pushed.body(), "tandem_phase_running{" + MIGRATION + ",phase=\"expand\"}")).isZero();
            assertThat(value(pushed.body(), "tandem_statements_total{" + MIGRATION + ",phase=\"expand\"}"))
                    .isPositive();
            assertThat(value(pushed.body(), "tandem_steps_done_total{" + MIGRATION + ",phase=\"expand\"}"))
                    .isPositive();
            assertThat(pushed.body()).contains("tandem_step_seconds_count{" + MIGRATION + ",step=\"expand/main\"} 1",
                    "tandem_step_running{" + MIGRATION + ",step=\"expand/main\"} 0");

            int port = freePort();
            String scraped;
            try (BusySessions busy = new BusySessions(db, 2)) {
                CompletableFuture<Cli.Result> backfill = CompletableFuture.supplyAsync(() -> cli.run("backfill",
                        "--metrics-port", String.valueOf(port), "--batch-size", "10", "--max-rate", "50",
                        "--max-active-sessions", "1"));
                scraped = scrapeWhileBackfilling(port, backfill);
                Cli.Result result = backfill.get(2, TimeUnit.MINUTES);
                assertThat(result.exitCode()).as(result.toString()).isZero();
                assertThat(result.err()).contains("metrics: http://127.0.0.1:" + port + "/metrics");
            }
            String table = MIGRATION + ",table=\"customers\"";
            assertThat(value(scraped, "tandem_phase_running{" + MIGRATION + ",phase=\"backfill\"}")).isEqualTo(1);
            assertThat(value(scraped, "tandem_backfill_rows{" + table + "}")).isBetween(10.0, 199.0);
            assertThat(value(scraped, "tandem_backfill_rows_estimate{" + table + "}")).isEqualTo(200);
            assertThat(value(scraped, "tandem_backfill_batches_total{" + table + "}")).isPositive();
            assertThat(value(scraped, "tandem_throttle_pauses_total{" + table + "}")).isEqualTo(1);
            assertThat(value(scraped, "tandem_throttle_paused_seconds{" + table + "}")).isPositive();
            assertThat(value(scraped, "tandem_backfill_done{" + table + "}")).isZero();
            assertThat(scraped).contains("tandem_backfill_rows_per_second{" + table + "}",
                    "tandem_backfill_eta_seconds{" + table + "}");

            try (Connection reader = db.connect(); Statement lock = reader.createStatement()) {
                reader.setAutoCommit(false);
                lock.execute("LOCK TABLE customers IN ACCESS SHARE MODE");
                CompletableFuture<Cli.Result> contract = CompletableFuture.supplyAsync(() -> cli.run("contract",
                        "--lock-timeout", "100", "--lock-retries", "50", "--metrics-push", gateway.url()));
                Thread.sleep(1500);
                reader.commit();
                Cli.Result result = contract.get(2, TimeUnit.MINUTES);
                assertThat(result.exitCode()).as(result.toString()).isZero();
            }
            String contracted = gateway.requests().get(1).body();
            assertThat(value(contracted, "tandem_lock_timeouts_total{" + MIGRATION + ",phase=\"contract\"}"))
                    .isPositive();
            assertThat(value(contracted, "tandem_lock_retries_total{" + MIGRATION + ",phase=\"contract\"}"))
                    .isPositive();
            assertThat(value(contracted, "tandem_phase_seconds_count{" + MIGRATION
                    + ",outcome=\"done\",phase=\"contract\"}")).isEqualTo(1);
        }
    }

    /** On a fleet every series is labelled with its target, and hooks are told the target and its wave. */
    @Test
    void onAFleetMetricsAndHooksNameTheTarget() throws Exception {
        try (TestDatabase pg1 = TestDatabase.create(); TestDatabase pg2 = TestDatabase.create();
             HttpRecorder gateway = new HttpRecorder()) {
            pg1.execute(Examples.shop());
            pg2.execute(Examples.shop());
            Path fleet = Files.writeString(dir.resolve("fleet.yaml"), "concurrency: 1\nwaves:\n"
                    + "  - name: canary\n    targets: [{name: pg1, url: '" + pg1.url() + "'}]\n"
                    + "  - name: rest\n    targets: [{name: pg2, url: '" + pg2.url() + "'}]\n");
            Path hooks = Files.createDirectory(dir.resolve("hooks"));
            Path log = dir.resolve("hooks.log");
            Path hook = Files.writeString(hooks.resolve("post-expand"),
                    "#!/bin/sh\necho \"$TANDEM_HOOK $TANDEM_TARGET $TANDEM_WAVE $TANDEM_OUTCOME\" >> " + log + "\n");
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

            Cli.Result expand = Cli.runRaw("expand", Cli.example(dir, "add_column.yaml").toString(), "--fleet",
                    fleet.toString(), "--hooks", hooks.toString(), "--metrics-push", gateway.url());

            assertThat(expand.exitCode()).as(expand.toString()).isZero();
            assertThat(Files.readAllLines(log)).containsExactly("post-expand pg1 canary expanded",
                    "post-expand pg2 rest expanded");
            String pushed = gateway.only().body();
            for (String target : List.of("pg1", "pg2")) {
                assertThat(value(pushed, "tandem_phase_seconds_count{" + MIGRATION + ",outcome=\"done\","
                        + "phase=\"expand\",target=\"" + target + "\"}")).isEqualTo(1);
                assertThat(value(pushed, "tandem_statements_total{" + MIGRATION + ",phase=\"expand\",target=\""
                        + target + "\"}")).isPositive();
            }
        }
    }

    @Test
    void aTakenPortOrABadPushUrlIsRefusedBeforeAnythingRuns() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result busy = Cli.runRaw("backfill", "--metrics-port", String.valueOf(taken.getLocalPort()));
            assertThat(busy.exitCode()).as(busy.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(busy.err()).contains("--metrics-port " + taken.getLocalPort() + ": cannot listen on 127.0.0.1:"
                    + taken.getLocalPort());
        }
        Cli.Result push = Cli.runRaw("expand", "x.yaml", "--metrics-push", "pushgateway:9091");
        assertThat(push.exitCode()).as(push.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(push.err()).contains("--metrics-push: expected http://HOST:PORT");
    }

    /** Scrapes until a scrape shows batches done and the backfill running; returns that scrape. */
    private static String scrapeWhileBackfilling(int port, CompletableFuture<Cli.Result> backfill) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
        List<String> seen = new ArrayList<>();
        while (!backfill.isDone()) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValue(RunMetrics.CONTENT_TYPE);
                String body = response.body();
                seen.add(body);
                if (body.contains("tandem_backfill_batches_total") && body.contains("tandem_throttle_pauses_total")) {
                    return body;
                }
            } catch (IOException notListeningYet) {
                // the command is still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the backfill ended before a scrape showed its batches: " + backfill.get()
                + "\nlast scrape:\n" + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)));
    }

    /** The value of the sample {@code series} (name and labels as Prometheus's text format writes them). */
    private static double value(String scrape, String series) {
        Matcher sample = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertThat(sample.find()).as("%s in:%n%s", series, scrape).isTrue();
        return Double.parseDouble(sample.group(1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
