package dev.tandem.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients of the products API through the front, each in a closed loop with a short pause: three reads of a
 * product (one the shop had, or one created during the run) to one creation. Every answer other than 200 (read)
 * or 201 (created), and every request that got no answer, is a failure. Latency is measured per request,
 * from sending to the last byte of the answer.
 */
final class LoadGenerator implements AutoCloseable {
    private static final int SHOP_PRODUCTS = 50;
    private static final Duration PAUSE = Duration.ofMillis(8);

    /** What a run of the clients saw. */
    record Report(int requests, List<String> failures, double p50Millis, double p99Millis, double maxMillis) {
        @Override
        public String toString() {
            return String.format("%d requests, %d failed, p50 %.1f ms, p99 %.1f ms, max %.1f ms", requests,
                    failures.size(), p50Millis, p99Millis, maxMillis);
        }
    }

    private final URI front;
    private final String runId;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Long> created = new CopyOnWriteArrayList<>();
    /** The price in cents each created product was given, by id. */
    private final Map<Long, Long> createdCents = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<long[]> latencies = new CopyOnWriteArrayList<>();
    private final AtomicLong skus = new AtomicLong();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running;

    LoadGenerator(URI front, String runId) {
        this.front = front;
        this.runId = runId;
    }

    /** Starts {@code threads} clients. */
    LoadGenerator start(int threads) {
        running = true;
        for (int i = 0; i < threads; i++) {
            Thread client = new Thread(this::run, "load-" + runId + "-" + i);
            client.setDaemon(true);
            clients.add(client);
            client.start();
        }
        return this;
    }

    /** Stops the clients, lets each finish its request, and reports the whole run. */
    Report stop() throws InterruptedException {
        running = false;
        for (Thread client : clients) {
            client.join();
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Report(all.length, List.copyOf(failures), percentile(all, 0.50), percentile(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.ceil(p * sorted.length) - 1] / 1e6;
    }

    private void run() {
        long[] mine = new long[1024];
        int count = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            String sku = random.nextInt(4) == 0 ? runId + "-" + skus.incrementAndGet() : null;
            HttpRequest request = sku != null ? create(sku) : read(random);
            long start = System.nanoTime();
            String failure = send(request, sku);
            if (count == mine.length) {
                mine = Arrays.copyOf(mine, count * 2);
            }
            mine[count++] = System.nanoTime() - start;
            if (failure != null) {
                failures.add(failure);
            }
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                break;
            }
        }
        latencies.add(Arrays.copyOf(mine, count));
    }

    private static long cents(String sku) {
        return 100 + Math.floorMod(sku.hashCode(), 900);
    }

    private HttpRequest create(String sku) {
        long cents = cents(sku);
        return HttpRequest.newBuilder(front.resolve("/products")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("sku=" + sku + "&title=Load+" + sku + "&cents="
                        + cents)).build();
    }

    private HttpRequest read(ThreadLocalRandom random) {
        int known = created.size();
        long id = known > 0 && random.nextBoolean() ? created.get(random.nextInt(known))
                : 1 + random.nextInt(SHOP_PRODUCTS);
        return HttpRequest.newBuilder(front.resolve("/products/" + id)).timeout(Duration.ofSeconds(10)).build();
    }

    /**
     * @param sku the product's sku when the request creates one, else null
     * @return what went wrong, or null
     */
    private String send(HttpRequest request, String sku) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            boolean post = sku != null;
            if (response.statusCode() != (post ? 201 : 200)) {
                return request.method() + " " + request.uri().getPath() + ": " + response.statusCode() + " "
                        + response.body();
            }
            if (post) {
                long id = Long.parseLong(response.body().trim());
                created.add(id);
                createdCents.put(id, cents(sku));
            }
            return null;
        } catch (IOException e) {
            return request.method() + " " + request.uri().getPath() + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return request.method() + " " + request.uri().getPath() + ": interrupted";
        }
    }

    /**
     * Reads every product the clients created through the front, once the new build serves all traffic: each
     * must show the price it was created with, in cents, whichever build created it.
     *
     * @return the products that do not, with what they show
     */
    List<String> unlikeCreated() {
        List<String> unlike = new ArrayList<>();
        createdCents.forEach((id, cents) -> {
            HttpRequest request = HttpRequest.newBuilder(front.resolve("/products/" + id))
                    .timeout(Duration.ofSeconds(10)).build();
            try {
                String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
                if (!body.contains("\"priceCents\":" + cents + ",")) {
                    unlike.add("product " + id + " created at " + cents + " cents reads " + body);
                }
            } catch (IOException e) {
                unlike.add("product " + id + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unlike.add("product " + id + ": interrupted");
            }
        });
        return unlike;
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
    }

    /** The failures so far, while the clients run. */
    List<String> failures() {
        return List.copyOf(failures);
    }
}
