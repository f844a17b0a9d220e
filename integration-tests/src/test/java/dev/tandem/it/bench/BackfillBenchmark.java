package dev.tandem.it.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: measures the backfill against one plain {@code UPDATE ... SET new = up(old)} on the local
 * PostgreSQL, interleaved in one run, and writes docs/benchmarks.md. Each timed run gets a fresh database
 * with a freshly loaded, vacuumed table, so no run inherits another's dead rows. Replaces its section of
 * docs/benchmarks.md (the notes written by hand around it stay). Run it with
 * {@code mvn -B -q -pl integration-tests -am -Pbench -DskipTests verify}; {@code -Dbench.rows},
 * {@code -Dbench.reps} and {@code -Dbench.largeRows} (0 to skip) change the sizes. With
 * {@code -Dbench.updateRateOnly} it runs only the plain UPDATEs and the one-worker backfill, interleaved, and prints
 * their rates and ratio without writing the file: the quick check of the backfill's rate while tuning it.
 */
public final class BackfillBenchmark {
    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    private static final int REPS = Integer.getInteger("bench.reps", 3);
    private static final long LARGE_ROWS = Long.getLong("bench.largeRows", 10_000_000L);
    private static final boolean UPDATE_RATE_ONLY = Boolean.getBoolean("bench.updateRateOnly");
    /** Single-row updates per round of the trigger comparison. */
    private static final int SINGLE_UPDATES = 10_000;
    /** Each writer of the mixed load aims at this many single-row updates per second. */
    private static final int WRITER_RATE = 300;
    private static final String UP = "qty * 2 + length(note)";
    /**
     * The same UPDATE on the expanded table, whose sync trigger is in place: with any BEFORE UPDATE row trigger
     * PostgreSQL locks each row before it runs the triggers (one more WAL record per row), whatever they do.
     */
    private static final String TRIGGERED_UPDATE = "plain UPDATE, sync trigger in place";

    private final Map<String, List<Double>> results = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        new BackfillBenchmark().run(Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md"));
    }

    private void run(Path out) throws Exception {
        List<String> order = UPDATE_RATE_ONLY ? List.of("plain UPDATE", TRIGGERED_UPDATE, "backfill, 1 worker",
                "backfill, 2 workers")
                : List.of("plain UPDATE", TRIGGERED_UPDATE, "backfill, 1 worker", "backfill, 2 workers",
                        "backfill, 1 worker, old + new writers");
        for (int rep = 0; rep < REPS; rep++) {
            for (int i = 0; i < order.size(); i++) {
                String variant = order.get((i + rep) % order.size());
                double rate = measure(variant);
                results.computeIfAbsent(variant, v -> new ArrayList<>()).add(rate);
                System.err.printf(Locale.ROOT, "rep %d %-40s %,.0f rows/s%n", rep, variant, rate);
            }
        }
        if (UPDATE_RATE_ONLY) {
            for (String variant : List.of("backfill, 1 worker", "backfill, 2 workers")) {
                double backfill = median(results.get(variant));
                System.out.printf(Locale.ROOT, "%s: %.2f × plain UPDATE, %.2f × %s (medians of %d, %,.0f against "
                        + "%,.0f and %,.0f rows/s); load average %s%n", variant, backfill
                        / median(results.get("plain UPDATE")), backfill / median(results.get(TRIGGERED_UPDATE)),
                        TRIGGERED_UPDATE, REPS, backfill, median(results.get("plain UPDATE")),
                        median(results.get(TRIGGERED_UPDATE)), Files.readString(Path.of("/proc/loadavg")).strip());
            }
            return;
        }
        singleRowUpdates();
        heap("heap used, " + ROWS + " rows", ROWS);
        if (LARGE_ROWS > 0) {
            heap("heap used, " + LARGE_ROWS + " rows", LARGE_ROWS);
        }
        BenchmarkDoc.writeSection(out, "BackfillBenchmark", report(order));
    }

    /** Rows per second of one variant on a fresh table of {@link #ROWS} rows. */
    private double measure(String variant) throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            load(db, "bench", ROWS);
            if (variant.equals("plain UPDATE")) {
                db.execute("ALTER TABLE bench ADD COLUMN label bigint");
                long start = System.nanoTime();
                db.execute("UPDATE bench SET label = " + UP);
                return ROWS / seconds(start);
            }
            int workers = variant.contains("2 workers") ? 2 : 1;
            Tandem tandem = Tandem.create(db.pool(null, workers + 1), TandemConfig.builder().workers(workers).build());
            tandem.expand(migration("bench"));
            if (variant.equals(TRIGGERED_UPDATE)) {
                long start = System.nanoTime();
                db.execute("UPDATE bench SET label = " + UP);
                return ROWS / seconds(start);
            }
            try (Writers writers = variant.contains("writers") ? new Writers(db, tandem) : null) {
                long start = System.nanoTime();
                long rows = tandem.backfill("label_bench", BackfillListener.NONE).rows();
                double rate = rows / seconds(start);
                if (writers != null) {
                    notes.merge(variant, writers.summary(seconds(start)), (a, b) -> a + "; " + b);
                }
                return rate;
            }
        }
    }

    /**
     * Single-row updates per second by the old version on a table without and with the sync trigger,
     * alternating between the two tables, with {@code synchronous_commit = off}.
     */
    private void singleRowUpdates() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            int rows = 200_000;
            load(db, "plain_t", rows);
            load(db, "synced", rows);
            db.tandem().expand(migration("synced"));
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                // without waiting for the WAL flush of every commit, which would hide the trigger's cost
                s.execute("SET synchronous_commit = off");
                for (int round = 0; round < 5; round++) {
                    for (String table : List.of("plain_t", "synced")) {
                        String name = "single-row UPDATE, " + (table.equals("synced") ? "with" : "without")
                                + " sync trigger (updates/s)";
                        results.computeIfAbsent(name, n -> new ArrayList<>()).add(singleUpdates(c, table, rows));
                    }
                }
            }
        }
    }

    private static double singleUpdates(Connection c, String table, int rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET qty = qty + 1 WHERE id = ?")) {
            long start = System.nanoTime();
            for (int i = 0; i < SINGLE_UPDATES; i++) {
                s.setLong(1, 1 + ThreadLocalRandom.current().nextInt(rows));
                s.executeUpdate();
            }
            return SINGLE_UPDATES / seconds(start);
        }
    }

    /** The most heap in use after a collection, sampled after every batch of a backfill of {@code rows}. */
    private void heap(String name, long rows) throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            load(db, "bench", rows);
            Tandem tandem = Tandem.create(db.pool(null, 2), TandemConfig.builder().build());
            tandem.expand(migration("bench"));
            AtomicLong peak = new AtomicLong(liveHeap());
            long start = System.nanoTime();
            long filled = tandem.backfill("label_bench", progress -> peak.accumulateAndGet(liveHeap(), Math::max))
                    .rows();
            notes.put(name, String.format(Locale.ROOT, "%,d rows at %,.0f rows/s", filled, filled / seconds(start)));
            results.put(name, List.of(peak.get() / 1024.0 / 1024.0));
        }
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void load(TestDatabase db, String table, long rows) {
        db.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, qty int NOT NULL, price numeric(10,2) NOT NULL,"
                        + " note text NOT NULL)",
                "INSERT INTO " + table + " SELECT g, g % 1000, (g % 10000) * 0.37, 'row ' || g"
                        + " FROM generate_series(1, " + rows + ") AS g",
                "VACUUM ANALYZE " + table, "CHECKPOINT");
    }

    private static Migration migration(String table) {
        return Examples.inline("label_" + table, "add_column: {table: " + table + ", column: {name: label, type: "
                + "bigint}, up: \"" + UP + "\"}");
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** An old-version and a new-version writer, each updating random rows at {@link #WRITER_RATE} per second. */
    private static final class Writers implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong oldWrites = new AtomicLong();
        private final AtomicLong newWrites = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();

        Writers(TestDatabase db, Tandem tandem) {
            String version = tandem.status().get(0).versionSchema();
            start(db.pool("public", 1), "UPDATE bench SET qty = qty + 1 WHERE id = ?", oldWrites);
            // not label = label + 1: on a row the backfill has not reached, Tandem refuses that on purpose (55000)
            start(db.pool(version + ", public", 1), "UPDATE bench SET qty = qty + 1 WHERE id = ?", newWrites);
        }

        private void start(HikariDataSource pool, String sql, AtomicLong count) {
            Thread thread = new Thread(() -> {
                long next = System.nanoTime();
                try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
                    while (!stop.get()) {
                        try {
                            s.setLong(1, 1 + ThreadLocalRandom.current().nextInt(ROWS));
                            s.executeUpdate();
                            count.incrementAndGet();
                        } catch (SQLException e) {
                            failures.incrementAndGet();
                        }
                        next += 1_000_000_000L / WRITER_RATE;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                } catch (SQLException | InterruptedException e) {
                    failures.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }

        String summary(double seconds) {
            return String.format(Locale.ROOT, "old writer %.0f/s, new writer %.0f/s (aimed at %d/s each), %d failed",
                    oldWrites.get() / seconds, newWrites.get() / seconds, WRITER_RATE, failures.get());
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    private String report(List<String> order) throws IOException, SQLException {
        double plain = median(results.get("plain UPDATE"));
        StringBuilder md = new StringBuilder();
        md.append("Written by `dev.tandem.it.bench.BackfillBenchmark` (integration-tests, test scope; run with\n")
                .append("`mvn -B -q -pl integration-tests -am -Pbench -DskipTests verify`). One run, variants\n")
                .append("interleaved (the order rotates every repetition), each on a fresh database with a freshly\n")
                .append("loaded and vacuumed table. Medians with [min – max] over ").append(REPS)
                .append(" repetitions.\n\n");
        md.append("Machine: ").append(machine()).append("\n\n");
        md.append("Table: `bench (id bigint PRIMARY KEY, qty int, price numeric, note text)`, ").append(String.format(
                Locale.ROOT, "%,d", ROWS)).append(" rows; migration: `add_column label bigint, up: ").append(UP)
                .append("`. The backfill runs with default settings (target batch 500 ms, ranges of 100k rows).\n\n");
        md.append("| measurement | median | range | ratio |\n|---|---:|---|---:|\n");
        for (String variant : order) {
            List<Double> rates = results.get(variant);
            md.append(row(variant + " (rows/s)", rates, median(rates) / plain, "× plain UPDATE"));
        }
        md.append(String.format(Locale.ROOT, "| 2 workers vs 1 worker | – | – | %.2f × 1 worker |%n",
                median(results.get("backfill, 2 workers")) / median(results.get("backfill, 1 worker"))));
        String without = "single-row UPDATE, without sync trigger (updates/s)";
        String with = "single-row UPDATE, with sync trigger (updates/s)";
        md.append(row(without, results.get(without), 1.0, ""));
        md.append(row(with, results.get(with), median(results.get(without)) / median(results.get(with)),
                "× cost of the trigger (rate without / rate with)"));
        for (Map.Entry<String, List<Double>> e : results.entrySet()) {
            if (e.getKey().startsWith("heap")) {
                md.append(String.format(Locale.ROOT, "| %s (MB, after GC, peak) | %.1f | – | – |%n", e.getKey(),
                        e.getValue().get(0)));
            }
        }
        md.append("\nNotes from the run:\n\n");
        notes.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        return md.toString();
    }

    private static String row(String name, List<Double> values, double ratio, String unit) {
        return String.format(Locale.ROOT, "| %s | %,.0f | %,.0f – %,.0f | %s |%n", name, median(values),
                Collections.min(values), Collections.max(values), unit.isEmpty() ? "–"
                        : String.format(Locale.ROOT, "%.2f %s", ratio, unit));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String machine() throws IOException, SQLException {
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        String version;
        try (TestDatabase db = TestDatabase.create()) {
            version = db.value("SELECT version()");
        }
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        return Runtime.getRuntime().availableProcessors() + " CPUs (nproc), " + memory + ", " + version
                + ", Java " + System.getProperty("java.version") + "; load average at the end of the run: " + load;
    }
}
