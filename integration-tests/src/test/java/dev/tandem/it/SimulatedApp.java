package dev.tandem.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * One version of an application under load: worker threads that each run random actions, one statement
 * each on a connection borrowed from the version's pool, and keep going until they are asked to stop, have
 * run their number of actions, or reach their time limit. Failed statements are recorded, never thrown.
 */
final class SimulatedApp {
    /** One statement an application runs. */
    @FunctionalInterface
    interface Action {
        void run(Connection connection, ThreadLocalRandom random, SimulatedApp app) throws SQLException;
    }

    private final String name;
    private final DataSource pool;
    private final List<Action> actions;
    private final int actionsPerThread;
    private final long deadline;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong ran = new AtomicLong();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Set<Long>> inserted = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    private SimulatedApp(String name, DataSource pool, List<Action> actions, int actionsPerThread, Duration limit) {
        this.name = name;
        this.pool = pool;
        this.actions = List.copyOf(actions);
        this.actionsPerThread = actionsPerThread;
        this.deadline = System.nanoTime() + limit.toNanos();
    }

    static SimulatedApp start(String name, DataSource pool, int threads, int actionsPerThread, Duration limit,
                              List<Action> actions) {
        SimulatedApp app = new SimulatedApp(name, pool, actions, actionsPerThread, limit);
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(app::work, name + "-" + i);
            app.threads.add(thread);
            thread.start();
        }
        return app;
    }

    private void work() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < actionsPerThread && !stopping.get() && System.nanoTime() < deadline; i++) {
            Action action = actions.get(random.nextInt(actions.size()));
            try (Connection connection = pool.getConnection()) {
                action.run(connection, random, this);
            } catch (SQLException | RuntimeException e) {
                synchronized (failures) {
                    failures.add(Thread.currentThread().getName() + ": " + e.getMessage());
                }
            }
            ran.incrementAndGet();
        }
    }

    /** Waits until the app has run {@code count} more actions; fails when it stops before. */
    void awaitMoreActions(long count) throws InterruptedException {
        long target = ran.get() + count;
        while (ran.get() < target) {
            if (threads.stream().noneMatch(Thread::isAlive)) {
                throw new AssertionError(name + " stopped after " + ran.get() + " actions, before reaching "
                        + target + "; failures: " + failures());
            }
            Thread.sleep(5);
        }
    }

    /** Asks the workers to stop after their current action and waits for them. */
    void stop() throws InterruptedException {
        stopping.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    long actionsRun() {
        return ran.get();
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Runs an INSERT ... RETURNING id and remembers the id as one this app inserted into {@code table}. */
    void insert(PreparedStatement statement, String table) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            inserted.computeIfAbsent(table, t -> ConcurrentHashMap.newKeySet()).add(rows.getLong(1));
        }
    }

    Set<Long> inserted(String table) {
        return Set.copyOf(inserted.getOrDefault(table, Set.of()));
    }

    /** A row id of {@code table}: one of the first {@code seeded}, or one this app inserted. */
    long anyRow(String table, long seeded, ThreadLocalRandom random) {
        Set<Long> own = inserted.getOrDefault(table, Set.of());
        if (own.isEmpty() || random.nextBoolean()) {
            return 1 + random.nextLong(seeded);
        }
        Long[] ids = own.toArray(Long[]::new);
        return ids[random.nextInt(ids.length)];
    }

    /** Reads every row of a query, as an application would, and discards it. */
    static void read(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                rows.getString(1);
            }
        }
    }
}
