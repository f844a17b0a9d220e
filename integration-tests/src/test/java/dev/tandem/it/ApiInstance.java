package dev.tandem.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One {@link ProductsApi} process on a port of 127.0.0.1, with the test's class path. */
final class ApiInstance implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(45);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final String build;
    private final Process process;
    private final URI uri;
    private final Path log;

    private ApiInstance(String name, String build, Process process, URI uri, Path log) {
        this.name = name;
        this.build = build;
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    /** Starts build {@code old} or {@code new} and returns once it listens; its output goes to {@code logDir}. */
    static ApiInstance start(String build, String name, AppDatabase db, Path logDir) {
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath()));
        command.addAll(List.of(ProductsApi.class.getName(), build, db.url(), db.schema(), name));
        try {
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> listeningPort(process));
            try {
                int listening = port.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
                return new ApiInstance(name, build, process, URI.create("http://127.0.0.1:" + listening), log);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " (" + build + ") did not start; its log " + log + ":\n"
                        + Files.readString(log), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Surefire runs the tests from a manifest-only jar and names the real class path in this property. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static int listeningPort(Process process) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(ProductsApi.LISTENING)) {
                    return Integer.parseInt(line.substring(ProductsApi.LISTENING.length()).trim());
                }
            }
            throw new IllegalStateException("exited with " + process.waitFor());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String name() {
        return name;
    }

    String build() {
        return build;
    }

    URI uri() {
        return uri;
    }

    /** {@code GET path} on this instance directly, not through the proxy. */
    HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a readiness probe sees: 200 while the database offers this build's version. */
    boolean ready() {
        return get("/ready").statusCode() == 200;
    }

    /** The value of one sample of {@code /metrics}, as its line starts ({@code name{labels}}); NaN when absent. */
    double metric(String sample) {
        return get("/metrics").body().lines().filter(l -> l.startsWith(sample + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1))).findFirst()
                .orElse(Double.NaN);
    }

    /** SIGTERM, as an orchestrator stops a container, and waits for the process to end. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (" + build + ", " + uri + ", log " + log + ")";
    }
}
