package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
        try (TestDatabase db = TestDatabase.create(); Pushgateway gateway = new Pushgateway()) {
            db.execute(Examples.shop());
            Cli cli = new Cli(db);

            Cli.Result expand = cli.run("expand", Cli.example(dir, "add_column.yaml").toString(),
                    "--metrics-push", gateway.url());
            assertThat(expand.exitCode()).as(expand.toString()).isZero();
            Push pushed = gateway.only();
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
            String contracted = gateway.pushes().get(1).body();
            assertThat(value(contracted, "tandem_lock_timeouts_total{" + MIGRATION + ",phase=\"contract\"}"))
                    .isPositive();
            assertThat(value(contracted, "tandem_lock_retries_total{" + MIGRATION + ",phase=\"contract\"}"))
                    .isPositive();
            assertThat(value(contracted, "tandem_phase_seconds_count{" + MIGRATION
                    + ",outcome=\"done\",phase=\"contract\"}")).isEqualTo(1);
        }
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

    private record Push(String method, String path, String contentType, String body) {
    }

    /** A stand-in for Prometheus's Pushgateway on a free port: keeps what was pushed. */
    private static final class Pushgateway implements AutoCloseable {
        private final HttpServer server;
        private final List<Push> pushes = new CopyOnWriteArrayList<>();

        Pushgateway() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (exchange; InputStream body = exchange.getRequestBody()) {
                    pushes.add(new Push(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            exchange.getRequestHeaders().getFirst("Content-Type"),
                            new String(body.readAllBytes(), StandardCharsets.UTF_8)));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        List<Push> pushes() {
            return pushes;
        }

        Push only() {
            assertThat(pushes).hasSize(1);
            return pushes.get(0);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * Sessions of the application that keep the database busy (active, in pg_sleep) until closed, so that a
     * backfill with --max-active-sessions below their number pauses first.
     */
    private static final class BusySessions implements AutoCloseable {
        private final List<Connection> connections = new ArrayList<>();
        private final List<CompletableFuture<Void>> sleeping = new ArrayList<>();
        private final TestDatabase db;

        BusySessions(TestDatabase db, int sessions) throws Exception {
            this.db = db;
            for (int i = 0; i < sessions; i++) {
                Connection connection = db.connect();
                connections.add(connection);
                sleeping.add(CompletableFuture.runAsync(() -> {
                    try (Statement s = connection.createStatement()) {
                        s.execute("SELECT pg_sleep(3)");
                    } catch (Exception e) {
                        // cancelled when closed
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!db.value("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE "
                    + "'SELECT pg_sleep%' AND datname = current_database()").equals(String.valueOf(sessions))) {
                assertThat(System.nanoTime()).as("busy sessions started").isLessThan(deadline);
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws Exception {
            for (CompletableFuture<Void> session : sleeping) {
                session.get(1, TimeUnit.MINUTES);
            }
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }
}
