package dev.tandem.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.dualwrite.HikariSupport;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuard;
import dev.tandem.dualwrite.PhaseGuardException;
import dev.tandem.dualwrite.SchemaVersion;
import dev.tandem.dualwrite.metrics.TandemMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small products API in two builds, run as its own process by the deploy tests: {@code old} was built before
 * {@code product_listing} (prices in decimal {@code price}), {@code new} after it (whole cents in
 * {@code price_cents}, and a required public {@code code}). Each instance runs the phase guard at start, pins its
 * pool to its version, answers readiness from the guard and serves Tandem's metrics.
 *
 * <ul>
 *   <li>{@code GET /products/ID}: the product as the build sees it, 404 when there is none</li>
 *   <li>{@code POST /products} with {@code sku=…&title=…&cents=…} (form encoded): creates it, answers its id</li>
 *   <li>{@code GET /ready}: 200 while the database offers the build's version, 503 with the guard's message
 *       otherwise</li>
 *   <li>{@code GET /metrics}: Prometheus text, with {@link TandemMetrics}</li>
 * </ul>
 *
 * <p>{@code java … ProductsApi old|new JDBC_URL SCHEMA NAME} binds an ephemeral port of 127.0.0.1 and prints
 * {@code LISTENING <port>} once it serves. It stops on SIGTERM: it stops accepting, lets running requests end,
 * then leaves the instance registry; and when its standard input closes.
 */
public final class ProductsApi {
    static final String MIGRATION = "product_listing";
    static final String LISTENING = "LISTENING ";

    private final boolean newBuild;
    private final PhaseGuard guard;
    private final HikariDataSource pool;
    private final InstanceRegistration registration;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(8);

    private ProductsApi(boolean newBuild, String url, String schema, String name) throws IOException {
        this.newBuild = newBuild;
        TandemMetrics tandemMetrics = new TandemMetrics();
        tandemMetrics.bindTo(metrics);
        guard = PhaseGuard.builder(newBuild ? MIGRATION : SchemaVersion.BASE).schema(schema).host(name)
                .heartbeatInterval(Duration.ofSeconds(2)).listener(tandemMetrics).build();
        SchemaVersion version;
        try (HikariDataSource direct = pool(url, 1)) {
            version = guard.check(direct);
        }
        HikariConfig config = config(url, 6);
        pool = new HikariDataSource(HikariSupport.configure(config, version));
        registration = guard.start(pool);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(workers);
        server.createContext("/products", this::products);
        server.createContext("/ready", this::ready);
        server.createContext("/metrics", exchange -> send(exchange, 200, metrics.scrape()));
        server.start();
    }

    public static void main(String[] args) throws IOException {
        tuneHttpServer();
        ProductsApi api = new ProductsApi(args[0].equals("new"), args[1], args[2], args[3]);
        Runtime.getRuntime().addShutdownHook(new Thread(api::stop, "products-api-stop"));
        Thread parent = new Thread(ProductsApi::exitWithParent, "products-api-parent");
        parent.setDaemon(true);
        parent.start();
        System.out.println(LISTENING + api.server.getAddress().getPort());
        System.out.flush();
    }

    /** Standard input closes when the JVM that started this one ends, even killed: no instance outlives a test run. */
    private static void exitWithParent() {
        try {
            while (System.in.read() != -1) {
                // nothing is sent; reading only waits for the end
            }
        } catch (IOException e) {
            // closed as well
        }
        System.exit(0);
    }

    /**
     * Settings of the JDK's HTTP server, read when its first server starts: no idle connection is closed during a
     * test (one closed just as the client reuses it would fail a request), and answers go out without waiting
     * for the client's delayed acknowledgement of the headers (Nagle), which would add 40 ms to each.
     */
    static void tuneHttpServer() {
        System.setProperty("sun.net.httpserver.idleInterval", "600");
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private void stop() {
        // the front has drained this instance already; JDK 17's server waits the whole delay even when idle
        server.stop(1);
        workers.shutdown();
        registration.close();
        pool.close();
    }

    private static HikariConfig config(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        return config;
    }

    private static HikariDataSource pool(String url, int size) {
        return new HikariDataSource(config(url, size));
    }

    private void ready(HttpExchange exchange) throws IOException {
        try {
            send(exchange, 200, "ready: version " + guard.check(pool).name());
        } catch (PhaseGuardException e) {
            send(exchange, 503, e.getMessage());
        }
    }

    private void products(HttpExchange exchange) throws IOException {
        try {
            if (exchange.getRequestMethod().equals("POST")) {
                Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8));
                send(exchange, 201, Long.toString(create(form.get("sku"), form.get("title"),
                        Long.parseLong(form.get("cents")))));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String product = read(Long.parseLong(path.substring(path.lastIndexOf('/') + 1)));
            send(exchange, product == null ? 404 : 200, product == null ? "no such product" : product);
        } catch (SQLException | RuntimeException e) {
            send(exchange, 500, e.toString());
        }
    }

    private long create(String sku, String title, long cents) throws SQLException {
        String sql = newBuild ? "INSERT INTO products (sku, title, price_cents, code) VALUES (?, ?, ?, ?)"
                : "INSERT INTO products (sku, title, price) VALUES (?, ?, ?)";
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql, new String[] {"id"})) {
            s.setString(1, sku);
            s.setString(2, title);
            if (newBuild) {
                s.setLong(3, cents);
                s.setString(4, "P-" + sku);
            } else {
                s.setBigDecimal(3, BigDecimal.valueOf(cents, 2));
            }
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** The product as JSON, or null. */
    private String read(long id) throws SQLException {
        String sql = newBuild ? "SELECT sku, price_cents, code FROM products WHERE id = ?"
                : "SELECT sku, price FROM products WHERE id = ?";
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return newBuild ? "{\"id\":" + id + ",\"sku\":\"" + r.getString(1) + "\",\"priceCents\":" + r.getLong(2)
                        + ",\"code\":\"" + r.getString(3) + "\"}"
                        : "{\"id\":" + id + ",\"sku\":\"" + r.getString(1) + "\",\"price\":"
                        + r.getBigDecimal(2).toPlainString() + "}";
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
