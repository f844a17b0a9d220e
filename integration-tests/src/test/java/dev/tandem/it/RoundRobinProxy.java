package dev.tandem.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The front of the deploy tests, as a load balancer is: forwards each request to the next instance of its
 * rotation, an instance given weight 2 getting twice the requests of one given weight 1. Changing the rotation
 * and {@link #drain draining} an instance that left it is how a deploy moves traffic. It does not retry: a request
 * an instance fails is a failed request.
 */
final class RoundRobinProxy implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(16);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4)).build();
    private final AtomicLong next = new AtomicLong();
    private final Map<ApiInstance, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    private volatile List<ApiInstance> rotation = List.of();

    RoundRobinProxy() throws IOException {
        ProductsApi.tuneHttpServer();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(workers);
        server.createContext("/", this::forward);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Sends the traffic to these instances from now on, each as often as its weight says. */
    void route(Map<ApiInstance, Integer> weights) {
        List<ApiInstance> next = new ArrayList<>();
        weights.forEach((instance, weight) -> {
            for (int i = 0; i < weight; i++) {
                next.add(instance);
            }
        });
        rotation = List.copyOf(next);
    }

    void route(List<ApiInstance> instances) {
        rotation = List.copyOf(instances);
    }

    /** Waits until no request forwarded to {@code instance} is still running; call it once it left the rotation. */
    void drain(ApiInstance instance) throws InterruptedException {
        if (rotation.contains(instance)) {
            throw new IllegalStateException(instance + " is still in the rotation");
        }
        AtomicInteger running = inFlight.get(instance);
        while (running != null && running.get() > 0) {
            Thread.sleep(5);
        }
    }

    /** How many requests each instance (by name) answered. */
    Map<String, Long> served() {
        Map<String, Long> counts = new TreeMap<>();
        served.forEach((name, count) -> counts.put(name, count.get()));
        return counts;
    }

    private void forward(HttpExchange exchange) throws IOException {
        List<ApiInstance> instances = rotation;
        ApiInstance target = instances.get((int) (next.getAndIncrement() % instances.size()));
        AtomicInteger running = inFlight.computeIfAbsent(target, t -> new AtomicInteger());
        running.incrementAndGet();
        // counted before the rotation is read again: a deploy that changed it either sees this request in drain,
        // or this request sees the change and picks again
        if (!rotation.contains(target)) {
            running.decrementAndGet();
            forward(exchange);
            return;
        }
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(target.uri().resolve(exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(10))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
                request.header("Content-Type", type);
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            served.computeIfAbsent(target.name(), n -> new AtomicLong()).incrementAndGet();
            send(exchange, response.statusCode(), response.body());
        } catch (IOException e) {
            send(exchange, 502, (target.name() + ": " + e).getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 502, "interrupted".getBytes(StandardCharsets.UTF_8));
        } finally {
            running.decrementAndGet();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
