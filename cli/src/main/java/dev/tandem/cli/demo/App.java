package dev.tandem.cli.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.internal.sql.Quoting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One version of the shop application: a thread that runs rounds of statements through a pool of its own
 * until it is closed, counting the statements it ran and those that failed. A failed statement ends its
 * round; the next round starts after the usual pause.
 */
final class App implements AutoCloseable {
    /** The statements of one round of an application version. */
    @FunctionalInterface
    interface Round {
        void run(App app, int round) throws SQLException;
    }

    /** A safety bound: the demo closes an app long before it gets here. */
    private static final int MAX_ROUNDS = 10_000;
    private static final int MAX_PROBLEMS_KEPT = 5;

    private final String name;
    private final HikariDataSource pool;
    private final Round round;
    private final Duration pause;
    private final Supplier<String> phase;
    private final Consumer<String> log;
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger wrongValues = new AtomicInteger();
    private final List<String> problems = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;

    private App(String name, HikariDataSource pool, Round round, Duration pause, Supplier<String> phase,
                Consumer<String> log) {
        this.name = name;
        this.pool = pool;
        this.round = round;
        this.pause = pause;
        this.phase = phase;
        this.log = log;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    /**
     * Starts an app whose connections all use {@code searchPath}, which is how a version picks the schema
     * version it works with.
     */
    static App start(String name, String jdbcUrl, List<String> searchPath, Round round, Duration pause,
                     Supplier<String> phase, Consumer<String> log) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName(name);
        config.setMaximumPoolSize(2);
        config.setConnectionInitSql("SET search_path TO "
                + String.join(", ", searchPath.stream().map(Quoting::ident).toList()));
        App app = new App(name, new HikariDataSource(config), round, pause, phase, log);
        app.thread.start();
        return app;
    }

    String name() {
        return name;
    }

    int statements() {
        return statements.get();
    }

    int failed() {
        return failed.get();
    }

    int wrongValues() {
        return wrongValues.get();
    }

    /** The first few failed statements and wrong values, each with the phase it happened in. */
    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** Runs an INSERT ... RETURNING id and returns the id. */
    long insert(String sql, Object... parameters) throws SQLException {
        return execute(sql, parameters, statement -> {
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    void update(String sql, Object... parameters) throws SQLException {
        execute(sql, parameters, PreparedStatement::executeUpdate);
    }

    /** The first column of the query's first row, or null when it has none. */
    <T> T value(Class<T> type, String sql, Object... parameters) throws SQLException {
        return execute(sql, parameters, statement -> {
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getObject(1, type) : null;
            }
        });
    }

    /** Records a wrong value when what the app read differs from what it should be. */
    void expect(String what, Object expected, Object read) {
        if (!Objects.equals(expected, read)) {
            wrongValues.incrementAndGet();
            problem("wrong value for " + what + ": expected " + expected + ", read " + read);
        }
    }

    void say(String line) {
        log.accept(String.format("  %-8s| %s", name, line));
    }

    /** Stops the thread after its current round and closes its pool. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.close();
        }
    }

    private interface Execution<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private <T> T execute(String sql, Object[] parameters, Execution<T> execution) throws SQLException {
        statements.incrementAndGet();
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return execution.run(statement);
        } catch (SQLException e) {
            failed.incrementAndGet();
            problem("failed: " + sql + ": " + e.getMessage());
            throw e;
        }
    }

    private void problem(String description) {
        synchronized (problems) {
            if (problems.size() < MAX_PROBLEMS_KEPT) {
                problems.add(name + ", " + phase.get() + ": " + description);
            }
        }
    }

    private void loop() {
        for (int n = 1; n <= MAX_ROUNDS && !stopping; n++) {
            try {
                round.run(this, n);
            } catch (SQLException e) {
                // counted and recorded where it failed; the next round goes on
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                problem("round " + n + " broke off: " + e);
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
