package dev.tandem.it.bench;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.AccountWrites;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Not a test: the example {@code keys/alter_column_primary_key.yaml} (accounts.id int to bigint, referenced by orders
 * and payments) on the local PostgreSQL with {@code bench.key.rows} accounts (1M by default), as many orders and half
 * as many payments, while an old-version writer (the tables) and, from expand on, a new-version writer (its views)
 * each insert an account, an order and a payment for it about 100 times a second. Reports, per phase, the longest
 * time one such write took (the longest write stall) and the failed statements, then sets the sequence past 2^31 and
 * inserts once more. Replaces its section of docs/benchmarks.md. Run it alone with
 * {@code mvn -B -q -pl integration-tests -am -Pbench -Dbench.backfill.skip -Dbench.mariadb.skip -DskipTests verify}.
 */
public final class PrimaryKeyWideningBenchmark {
    private static final int ROWS = Integer.getInteger("bench.key.rows", 1_000_000);
    private static final Migration WIDEN = Examples.migration("keys", "alter_column_primary_key.yaml");
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final List<String> PHASES = List.of("before expand", "expand", "backfill", "contract",
            "after contract");

    private volatile String phase = PHASES.get(0);
    private final Map<String, Long> longest = new ConcurrentHashMap<>();
    private final Map<String, Integer> writes = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> durations = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        new PrimaryKeyWideningBenchmark().run(Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md"));
    }

    private void run(Path out) throws Exception {
        String server;
        String pastMax;
        try (TestDatabase db = TestDatabase.create()) {
            server = db.value("SELECT version()");
            load(db);
            Tandem tandem = Tandem.create(db.pool(null, 3), TandemConfig.builder().build());
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            try {
                writers.add(writer(db, null, "old", stop));
                timed("before expand", () -> pause(3));
                timed("expand", () -> tandem.expand(WIDEN));
                String version = tandem.status().get(0).versionSchema();
                writers.add(writer(db, version + ", public", "new", stop));
                timed("backfill", () -> tandem.backfill(WIDEN.name(), BackfillListener.NONE));
                timed("contract", () -> tandem.contract(WIDEN.name()));
                timed("after contract", () -> pause(3));
            } finally {
                stop.set(true);
                for (Thread writer : writers) {
                    writer.join();
                }
            }
            db.execute("SELECT setval('accounts_id_seq', 3000000000)", "INSERT INTO accounts (name) VALUES ('big')",
                    "INSERT INTO orders (account_id, note) SELECT id, 'big' FROM accounts WHERE name = 'big'");
            pastMax = db.value("SELECT a.id || ' (' || pg_typeof(a.id) || '), order ' || o.id FROM accounts a"
                    + " JOIN orders o ON o.account_id = a.id WHERE a.name = 'big'");
            String orphans = db.value("SELECT (SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM accounts a"
                    + " WHERE a.id = o.account_id)) + (SELECT count(*) FROM payments p WHERE p.account_id IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = p.account_id))");
            if (!orphans.equals("0")) {
                failures.add(orphans + " orders or payments without their account");
            }
        }
        BenchmarkDoc.writeSection(out, "PrimaryKeyWideningBenchmark", report(server, pastMax));
    }

    private void load(TestDatabase db) {
        db.execute(Examples.schema("accounts.sql"));
        db.execute("INSERT INTO accounts (name) SELECT 'account ' || g FROM generate_series(201, " + ROWS + ") AS g",
                "INSERT INTO orders (account_id, note) SELECT 1 + g % " + ROWS + ", 'order ' || g"
                        + " FROM generate_series(501, " + ROWS + ") AS g",
                "INSERT INTO payments (account_id, amount) SELECT 1 + g % " + ROWS + ", g"
                        + " FROM generate_series(501, " + ROWS / 2 + ") AS g",
                "VACUUM ANALYZE accounts", "VACUUM ANALYZE orders", "VACUUM ANALYZE payments");
    }

    private void timed(String name, Runnable step) {
        phase = name;
        long start = System.nanoTime();
        step.run();
        durations.put(name, System.nanoTime() - start);
        System.err.printf(Locale.ROOT, "%-15s %6.1f s%n", name, (System.nanoTime() - start) / 1e9);
    }

    private static void pause(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Inserts an account, an order and a payment for it every 10 ms, timing each round trip of the three. */
    private Thread writer(TestDatabase db, String searchPath, String label, AtomicBoolean stop) throws SQLException {
        Connection connection = searchPath == null ? db.connect() : db.connect(searchPath);
        Thread thread = new Thread(() -> {
            try (AccountWrites accounts = new AccountWrites(connection)) {
                long next = System.nanoTime();
                for (int i = 0; !stop.get(); i++) {
                    String at = phase;
                    long start = System.nanoTime();
                    try {
                        accounts.write(label + " " + i);
                        writes.merge(label + "|" + at, 1, Integer::sum);
                    } catch (SQLException e) {
                        failures.add(label + " during " + at + ": " + e.getMessage());
                    }
                    longest.merge(label + "|" + at, System.nanoTime() - start, Math::max);
                    next += PACE_NANOS;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            } catch (SQLException | InterruptedException e) {
                failures.add(label + ": " + e.getMessage());
            }
        }, "writer-" + label);
        thread.start();
        return thread;
    }

    private String report(String server, String pastMax) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("Written by `dev.tandem.it.bench.PrimaryKeyWideningBenchmark` (integration-tests, test scope; run\n")
                .append("alone with `mvn -B -q -pl integration-tests -am -Pbench -Dbench.backfill.skip ")
                .append("-Dbench.mariadb.skip -DskipTests verify`). One run.\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), ")
                .append(Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ")).append(", ")
                .append(server).append("; load average at the end of the run: ")
                .append(Files.readString(Path.of("/proc/loadavg")).strip()).append("\n\n");
        md.append(String.format(Locale.ROOT, "Migration `keys/alter_column_primary_key.yaml` (`accounts.id` serial "
                + "int → bigint) on `schema/accounts.sql` grown to %,d accounts, %,d orders and %,d payments, all "
                + "referencing `accounts.id`. An old-version writer (the tables) and, from expand on, a new-version "
                + "writer (the version schema's views) each insert an account, an order and a payment for it every "
                + "10 ms. A write stall is the time one such write (three inserts) took.%n%n", ROWS, ROWS, ROWS / 2));
        md.append("| phase | duration | writes old / new | longest write stall, old | longest write stall, new |\n")
                .append("|---|---:|---:|---:|---:|\n");
        for (String name : PHASES) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f s | %s / %s | %s | %s |%n", name,
                    durations.get(name) / 1e9, count("old|" + name), count("new|" + name),
                    millis(longest.get("old|" + name)), millis(longest.get("new|" + name))));
        }
        md.append(String.format(Locale.ROOT, "%nFailed statements: %d%s. Orders and payments without their account "
                        + "after contract: %s. After contract, `setval('accounts_id_seq', 3000000000)` and an insert: "
                        + "account %s.%n", failures.size(),
                failures.isEmpty() ? "" : " (" + String.join("; ", failures.subList(0, Math.min(3, failures.size())))
                        + ")", failures.stream().anyMatch(f -> f.contains("without")) ? "some" : "none", pastMax));
        return md.toString();
    }

    private String count(String key) {
        Integer n = writes.get(key);
        return n == null ? "–" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String millis(Long nanos) {
        return nanos == null ? "–" : String.format(Locale.ROOT, "%,.0f ms", nanos / 1e6);
    }
}
