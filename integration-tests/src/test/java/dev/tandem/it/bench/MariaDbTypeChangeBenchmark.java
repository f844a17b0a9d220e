package dev.tandem.it.bench;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Not a test: an int → bigint change of one column of a MariaDB table, done three ways side by side in one run
 * (Tandem's full cycle expand → backfill → contract, {@code pt-online-schema-change}, and a native
 * {@code ALTER TABLE … ALGORITHM=COPY}), each once on an idle server and once under a write load, each on a
 * fresh database with a freshly loaded table. Replaces its section of docs/benchmarks.md. Run it with
 * {@code mvn -B -q -pl integration-tests -am -Pbench -Dbench.backfill.skip -DskipTests verify}; it needs
 * percona-toolkit for pt-online-schema-change, and runs the other two and says so without it.
 * {@code -Dbench.mariadb.rows} and {@code -Dbench.mariadb.writers} change the sizes.
 */
public final class MariaDbTypeChangeBenchmark {
    private static final int ROWS = Integer.getInteger("bench.mariadb.rows", 1_000_000);
    private static final int WRITERS = Integer.getInteger("bench.mariadb.writers", 4);
    /** Tandem's backfill workers for a table whose keys the writers give (one for a table with a key counter). */
    private static final int WORKERS = Integer.getInteger("bench.mariadb.workers", 2);
    /** The rows of the table Tandem's cycle first runs on, unmeasured, so that no run pays for loading its classes. */
    private static final int WARM_UP_ROWS = 10_000;
    /** The methods to run, e.g. {@code TANDEM,PT_OSC} while tuning one of them; all by default. */
    private static final String METHODS = System.getProperty("bench.mariadb.methods", "");
    /** The table keys to run, e.g. {@code GIVEN}; both by default. */
    private static final String KEYS = System.getProperty("bench.mariadb.keys", "");
    /** How long the write load runs alone before the change starts, for its rate without a change. */
    private static final long BASELINE_MILLIS = 5_000;
    /** Of every ten writes, this many are UPDATEs and the rest INSERTs. */
    private static final int UPDATES_IN_TEN = 8;
    private static final String PT_OSC = "pt-online-schema-change";
    private static final List<String> PT_OSC_FLAGS = List.of("--chunk-time", "0.5", "--max-load",
            "Threads_running=50", "--critical-load", "Threads_running=200", "--recursion-method=none",
            "--no-version-check", "--alter", "MODIFY qty BIGINT", "--execute");
    private static final String COPY = "ALTER TABLE bench MODIFY qty BIGINT, ALGORITHM=COPY";
    private static final Migration WIDEN = Examples.inline("widen_qty",
            "alter_column: {table: bench, column: qty, type: bigint, up: qty, down: qty, strategy: copy}");

    /**
     * The table's key. With a counter, Tandem's copy is one key range for one worker: each {@code INSERT … SELECT} into
     * a table with an AUTO_INCREMENT column holds its AUTO-INC lock to its end ({@code innodb_autoinc_lock_mode} 1),
     * and with mode 2 two copies still went no faster than one here. With keys the application gives, batches overlap.
     */
    enum Key {
        COUNTER("id BIGINT AUTO_INCREMENT PRIMARY KEY", "an AUTO_INCREMENT key"),
        GIVEN("id BIGINT PRIMARY KEY", "keys the application gives");

        private final String definition;
        private final String label;

        Key(String definition, String label) {
            this.definition = definition;
            this.label = label;
        }

        int workers() {
            return this == COUNTER ? 1 : WORKERS;
        }
    }

    /** The three ways to change the column. */
    enum Method {
        TANDEM("Tandem: expand → backfill → contract"),
        PT_OSC("pt-online-schema-change"),
        COPY("ALTER TABLE … ALGORITHM=COPY");

        private final String label;

        Method(String label) {
            this.label = label;
        }
    }

    /** One change: its time, what the load achieved meanwhile (null without a load), and the after-check. */
    private record Run(Key key, Method method, boolean loaded, double seconds, LoadResult load, String check) {
    }

    private final List<Run> runs = new ArrayList<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final Path logs;
    private String ptOscVersion;

    private MariaDbTypeChangeBenchmark(Path logs) {
        this.logs = logs;
    }

    public static void main(String[] args) throws Exception {
        Path doc = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md");
        Path logs = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "target/bench"));
        new MariaDbTypeChangeBenchmark(logs).run(doc);
    }

    private void run(Path doc) throws Exception {
        String loadAtStart = loadAverage();
        ptOscVersion = ptOscVersion();
        if (selected(Method.TANDEM)) {
            Run warmUp = measure(Key.GIVEN, Method.TANDEM, false, WARM_UP_ROWS);
            notes.put("Tandem's warm-up", String.format(Locale.ROOT, "the same cycle on %,d rows, first in the JVM,"
                    + " took %.2f s (%s), not counted", WARM_UP_ROWS, warmUp.seconds, warmUp.check));
        }
        for (Key key : Key.values()) {
            if (!KEYS.isBlank() && !List.of(KEYS.split(",")).contains(key.name())) {
                continue;
            }
            for (boolean loaded : List.of(false, true)) {
                for (Method method : Method.values()) {
                    if (method == Method.PT_OSC && ptOscVersion == null || !selected(method)) {
                        continue;
                    }
                    Run run = measure(key, method, loaded, ROWS);
                    runs.add(run);
                    System.err.printf(Locale.ROOT, "%-8s %-40s %-6s %8.1f s %s %s%n", key, method.label,
                            loaded ? "load" : "idle", run.seconds, run.load == null ? "" : run.load, run.check);
                }
            }
        }
        BenchmarkDoc.writeSection(doc, "MariaDbTypeChangeBenchmark", report(loadAtStart, loadAverage()));
    }

    private static boolean selected(Method method) {
        return METHODS.isBlank() || List.of(METHODS.split(",")).contains(method.name());
    }

    private Run measure(Key key, Method method, boolean loaded, int rows) throws Exception {
        try (MariaDbTestDatabase db = MariaDbTestDatabase.create()) {
            db.execute("CREATE TABLE bench (" + key.definition + ", qty INT, price DECIMAL(10,2) NOT NULL,"
                            + " note VARCHAR(100) NOT NULL)",
                    "INSERT INTO bench (id, qty, price, note) SELECT seq, seq % 1000, (seq % 10000) * 0.37, "
                            + "CONCAT('row ', seq) FROM seq_1_to_" + rows);
            long sumBefore = Long.parseLong(db.value("SELECT SUM(qty) FROM bench"));
            WriteLoad load = loaded ? new WriteLoad(db, WRITERS, key, rows) : null;
            LoadResult result = null;
            double seconds;
            try {
                if (load != null) {
                    load.startBaseline();
                    Thread.sleep(BASELINE_MILLIS);
                    load.startChange();
                }
                long start = System.nanoTime();
                change(key, method, db, load);
                seconds = (System.nanoTime() - start) / 1e9;
            } finally {
                if (load != null) {
                    result = load.stop();
                }
            }
            return new Run(key, method, loaded, seconds, result, check(db, rows, sumBefore, load));
        }
    }

    private void change(Key tableKey, Method method, MariaDbTestDatabase db, WriteLoad load) throws Exception {
        String key = method.label + ", " + tableKey.label + (load != null ? ", with load" : ", idle");
        switch (method) {
            case TANDEM -> {
                Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).workers(tableKey.workers()));
                long t0 = phase(load, "expand");
                tandem.expand(WIDEN);
                long t1 = phase(load, "backfill");
                long rows = tandem.backfill(WIDEN.name(), BackfillListener.NONE).rows();
                if (load != null) {
                    // the deploy: the old version must be gone before contract (its writes would no longer be synced)
                    load.switchTo(tandem.status().get(0).versionSchema());
                }
                long t2 = phase(load, "contract");
                tandem.contract(WIDEN.name());
                long t3 = System.nanoTime();
                notes.put(key, String.format(Locale.ROOT, "expand %.2f s, backfill %.1f s (%,d rows, %,.0f rows/s),"
                                + " contract %.2f s", (t1 - t0) / 1e9, (t2 - t1) / 1e9, rows, rows / ((t2 - t1) / 1e9),
                        (t3 - t2) / 1e9));
            }
            case PT_OSC -> ptOsc(db, key);
            case COPY -> db.execute(COPY);
        }
    }

    /** Starts a phase of Tandem's cycle, for the load's stalls per phase; its start time. */
    private static long phase(WriteLoad load, String name) {
        if (load != null) {
            load.phase = name;
        }
        return System.nanoTime();
    }

    private void ptOsc(MariaDbTestDatabase db, String key) throws IOException, InterruptedException {
        URI server = URI.create(db.url(db.name()).substring("jdbc:".length()));
        Map<String, String> params = new LinkedHashMap<>();
        for (String param : server.getQuery() == null ? new String[0] : server.getQuery().split("&")) {
            int eq = param.indexOf('=');
            params.put(param.substring(0, eq), param.substring(eq + 1));
        }
        String dsn = "D=" + db.name() + ",t=bench,h=" + server.getHost()
                + (server.getPort() < 0 ? "" : ",P=" + server.getPort())
                + (params.containsKey("user") ? ",u=" + params.get("user") : "");
        List<String> command = new ArrayList<>(List.of(PT_OSC));
        command.addAll(PT_OSC_FLAGS);
        command.add(dsn);
        ProcessBuilder process = new ProcessBuilder(command).redirectErrorStream(true);
        if (params.containsKey("password")) {
            // kept off the command line and the log; the client library reads it (untested: no password here)
            process.environment().put("MYSQL_PWD", params.get("password"));
        }
        File log = logs.resolve("pt-osc-" + key.replaceAll("\\W+", "-") + ".log").toFile();
        int exit = process.redirectOutput(log).start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(PT_OSC + " exited with " + exit + "; see " + log);
        }
        String copied = Files.readAllLines(log.toPath()).stream().filter(line -> line.contains("Copying approximately"))
                .findFirst().orElse("");
        notes.put(key, "log " + logs.relativize(log.toPath()) + (copied.isEmpty() ? "" : "; " + copied.strip()));
    }

    /** The column is bigint now, and no write of the load was lost or doubled. */
    private static String check(MariaDbTestDatabase db, int rowsBefore, long sumBefore, WriteLoad load) {
        String type = db.value("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'bench' AND COLUMN_NAME = 'qty'");
        long rows = Long.parseLong(db.value("SELECT COUNT(*) FROM bench"));
        long sum = Long.parseLong(db.value("SELECT SUM(qty) FROM bench"));
        long expectedRows = rowsBefore + (load == null ? 0 : load.inserts.get());
        long expectedSum = sumBefore + (load == null ? 0 : load.updated.get() + load.insertedQty.get());
        List<String> wrong = new ArrayList<>();
        if (!"bigint(20)".equals(type)) {
            wrong.add("qty is " + type);
        }
        if (rows != expectedRows) {
            wrong.add(String.format(Locale.ROOT, "%,d rows instead of %,d", rows, expectedRows));
        }
        if (sum != expectedSum) {
            wrong.add(String.format(Locale.ROOT, "SUM(qty) %,d instead of %,d", sum, expectedSum));
        }
        return wrong.isEmpty() ? "ok" : String.join(", ", wrong);
    }

    /** What the write load achieved: alone before the change, and during it. */
    private record LoadResult(double baselineRate, double rate, double maxStallMillis, String stallsByPhase,
                              long failures, String firstFailure) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f writes/s (%,.0f before), stall %.0f ms, %d failed", rate,
                    baselineRate, maxStallMillis, failures);
        }
    }

    /**
     * {@link #WRITERS} threads on connections of their own to the table's database, each running single-row
     * autocommit writes as fast as it can: an UPDATE of a random row ({@code qty = qty + 1}) or an INSERT; the
     * same statements after {@link #switchTo} through a version database, as the new version. A write
     * counts toward the change when it ends after the change started; the longest stall is the longest latency
     * of a write that overlapped the change, including those still waiting when it ended.
     */
    private static final class WriteLoad {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong updated = new AtomicLong();
        private final AtomicLong inserts = new AtomicLong();
        private final AtomicLong insertedQty = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicReference<String> firstFailure = new AtomicReference<>();
        private final AtomicLong baselineWrites = new AtomicLong();
        private final AtomicLong changeWrites = new AtomicLong();
        private final AtomicLong maxStallNanos = new AtomicLong();
        private volatile long baselineStart = Long.MAX_VALUE;
        private volatile long changeStart = Long.MAX_VALUE;
        private volatile long changeEnd = Long.MAX_VALUE;
        /** The version database the writers write through; null: the tables' database, as the old version. */
        private volatile String version;
        /** The phase of Tandem's cycle a write starts in, for its longest stalls by phase. */
        private volatile String phase = "before";
        private final Map<String, Long> maxStallByPhase = new ConcurrentHashMap<>();
        /** The next key an INSERT gives, where the table has no key counter; else null. */
        private final AtomicLong nextKey;

        WriteLoad(MariaDbTestDatabase db, int writers, Key key, int rows) {
            nextKey = key == Key.GIVEN ? new AtomicLong(rows + 1L) : null;
            for (int i = 0; i < writers; i++) {
                Thread thread = new Thread(() -> write(db), "writer-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        void startBaseline() {
            baselineStart = System.nanoTime();
        }

        void startChange() {
            changeStart = System.nanoTime();
        }

        /** From the next write on, every writer writes as the new version, through its database of views. */
        void switchTo(String version) {
            this.version = version;
        }

        private void write(MariaDbTestDatabase db) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
                String as = version;
                try (Connection c = as == null ? db.connect() : db.connectAs(as);
                     PreparedStatement update = c.prepareStatement("UPDATE bench SET qty = qty + 1 WHERE id = ?");
                     PreparedStatement insert = c.prepareStatement(nextKey == null
                             ? "INSERT INTO bench (qty, price, note) VALUES (?, 1.00, 'inserted by the load')"
                             : "INSERT INTO bench (qty, price, note, id) VALUES (?, 1.00, 'inserted by the load', ?)")) {
                    while (!stop.get() && Objects.equals(as, version)) {
                        long start = System.nanoTime();
                        String during = phase;
                        try {
                            if (random.nextInt(10) < UPDATES_IN_TEN) {
                                update.setLong(1, 1 + random.nextInt(ROWS));
                                updated.addAndGet(update.executeUpdate());
                            } else {
                                int qty = random.nextInt(1000);
                                insert.setInt(1, qty);
                                if (nextKey != null) {
                                    insert.setLong(2, nextKey.getAndIncrement());
                                }
                                insert.executeUpdate();
                                inserts.incrementAndGet();
                                insertedQty.addAndGet(qty);
                            }
                        } catch (SQLException e) {
                            failed(e);
                        }
                        count(start, System.nanoTime(), during);
                    }
                } catch (SQLException e) {
                    failed(e);
                }
            }
        }

        private void failed(SQLException e) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, e.getMessage());
        }

        private void count(long start, long end, String during) {
            if (end >= changeStart) {
                if (start < changeEnd) {
                    maxStallNanos.accumulateAndGet(end - start, Math::max);
                    maxStallByPhase.merge(during, end - start, Math::max);
                }
                if (end <= changeEnd) {
                    changeWrites.incrementAndGet();
                }
            } else if (end >= baselineStart) {
                baselineWrites.incrementAndGet();
            }
        }

        /** Ends the change's window now, lets every writer finish its write and stops them. */
        LoadResult stop() throws InterruptedException {
            long end = System.nanoTime();
            changeEnd = end;
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            String byPhase = Stream.of("expand", "backfill", "contract").filter(maxStallByPhase::containsKey)
                    .map(p -> String.format(Locale.ROOT, "%s %.0f ms", p, maxStallByPhase.get(p) / 1e6))
                    .collect(Collectors.joining(", "));
            return new LoadResult(baselineWrites.get() / ((changeStart - baselineStart) / 1e9),
                    changeWrites.get() / ((end - changeStart) / 1e9), maxStallNanos.get() / 1e6, byPhase,
                    failures.get(), firstFailure.get());
        }
    }

    private String report(String loadAtStart, String loadAtEnd) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("Written by `dev.tandem.it.bench.MariaDbTypeChangeBenchmark` (integration-tests, test scope; run\n")
                .append("with `mvn -B -q -pl integration-tests -am -Pbench -Dbench.backfill.skip -DskipTests verify`).\n")
                .append("One run; each change once, on a fresh database with a freshly loaded table.\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), ")
                .append(Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ")).append(", ")
                .append(server()).append(", Java ").append(System.getProperty("java.version")).append(", ")
                .append(ptOscVersion == null ? "**pt-online-schema-change not found** (`apt-get install -y "
                        + "percona-toolkit`): its rows are missing" : ptOscVersion)
                .append(". Load average at the start: ").append(loadAtStart).append("; at the end: ")
                .append(loadAtEnd).append(".\n\n");
        md.append(String.format(Locale.ROOT, "Table: `bench (id BIGINT PRIMARY KEY, qty INT, price DECIMAL(10,2), "
                + "note VARCHAR(100))`, %,d rows, twice: with `id` an AUTO_INCREMENT key, and with keys the "
                + "application gives; change: `qty` INT → BIGINT. Tandem: `alter_column: {table: bench, column: qty, "
                + "type: bigint, up: qty, down: qty, strategy: copy}` (the table-copy strategy, which Tandem also "
                + "chooses by itself here), target batch 500 ms, %d workers where the keys are given, 1 with the "
                + "AUTO_INCREMENT key (the copy is then one key range: each `INSERT … SELECT` into a table with an "
                + "AUTO_INCREMENT column takes its AUTO-INC lock); the JVM ran the cycle once on a small table first "
                + "(below). pt-online-schema-change: `%s`. Native: `%s`.%n%n", ROWS, WORKERS,
                String.join(" ", PT_OSC_FLAGS).replace("MODIFY qty BIGINT", "\"MODIFY qty BIGINT\""), COPY));
        md.append(String.format(Locale.ROOT, "Write load: %d threads, each on its own connection to the table's "
                + "database, single-row autocommit writes as fast as they can: %d in 10 `UPDATE bench SET qty = qty "
                + "+ 1 WHERE id = ?` of a random row, the rest `INSERT`s. It runs %d s alone first (\"before\"), "
                + "then during the change. With Tandem the writers are the old version (the tables' database) until "
                + "the backfill is done, then reconnect as the new version (its database of views, `@tandem_version` "
                + "set), as a deploy would before contract. A stall is the latency of one write that overlapped the "
                + "change. After each change the row count and `SUM(qty)` are checked against the writes that "
                + "succeeded.%n%n",
                WRITERS, UPDATES_IN_TEN, BASELINE_MILLIS / 1000));
        md.append("| key | method | write load | total time (s) | writes/s during the change (before) | longest write stall"
                + " (ms) | failed writes | rows and type afterwards |\n|---|---|---|---:|---:|---:|---:|---|\n");
        for (Run run : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s | %s | %s | %s |%n", run.key.label,
                    run.method.label,
                    run.loaded ? WRITERS + " writers" : "none", run.seconds,
                    run.load == null ? "–" : String.format(Locale.ROOT, "%,.0f (%,.0f)", run.load.rate,
                            run.load.baselineRate),
                    run.load == null ? "–" : String.format(Locale.ROOT, "%,.0f", run.load.maxStallMillis),
                    run.load == null ? "–" : String.valueOf(run.load.failures), run.check));
        }
        md.append('\n');
        for (Key key : Key.values()) {
            for (boolean loaded : List.of(false, true)) {
                Run tandem = find(key, Method.TANDEM, loaded);
                Run ptOsc = find(key, Method.PT_OSC, loaded);
                if (tandem == null || ptOsc == null) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "- %s, %s: Tandem's time %.2f × pt-online-schema-change's "
                        + "(target ≤ 0.8)", key.label.substring(0, 1).toUpperCase(Locale.ROOT)
                        + key.label.substring(1), loaded ? "with the write load" : "idle",
                        tandem.seconds / ptOsc.seconds));
                if (loaded) {
                    md.append(String.format(Locale.ROOT, "; writes/s during Tandem's change %.2f × during pt-online-"
                            + "schema-change's (target ≥ 1)", tandem.load.rate / ptOsc.load.rate));
                }
                md.append(".\n");
            }
        }
        md.append("\nNotes from the run:\n\n");
        notes.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        runs.stream().filter(run -> run.load != null && !run.load.stallsByPhase.isEmpty()).forEach(run -> md
                .append("- ").append(run.method.label).append(", ").append(run.key.label)
                .append(", longest write stall by the phase it started in: ")
                .append(run.load.stallsByPhase).append('\n'));
        runs.stream().filter(run -> run.load != null && run.load.firstFailure != null).forEach(run -> md.append("- ")
                .append(run.method.label).append(", ").append(run.key.label).append(", first failed write: ").append(run.load.firstFailure.strip())
                .append('\n'));
        return md.toString();
    }

    private Run find(Key key, Method method, boolean loaded) {
        return runs.stream().filter(run -> run.key == key && run.method == method && run.loaded == loaded).findFirst()
                .orElse(null);
    }

    private static String server() {
        try (MariaDbTestDatabase db = MariaDbTestDatabase.create()) {
            return "MariaDB " + db.value("SELECT VERSION()") + " (" + db.rows("SELECT CONCAT(VARIABLE_NAME, ' = ', "
                    + "VARIABLE_VALUE) FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME IN "
                    + "('INNODB_BUFFER_POOL_SIZE', 'INNODB_FLUSH_LOG_AT_TRX_COMMIT', 'LOG_BIN') ORDER BY VARIABLE_NAME")
                    .stream().map(String::toLowerCase).collect(Collectors.joining(", ")) + ")";
        }
    }

    /** The version line of pt-online-schema-change, or null when it is not installed. */
    private static String ptOscVersion() {
        try {
            Process process = new ProcessBuilder(PT_OSC, "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).strip();
            return process.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            System.err.println(PT_OSC + " not found (apt-get install -y percona-toolkit): its runs are skipped");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String loadAverage() throws IOException {
        return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).strip().split(" ")).subList(0, 3));
    }
}
