package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code migrate} process stopped with SIGSTOP for 10 s while it holds locks the application needs (inside
 * expand's and contract's transaction, inside a backfill batch) holds them only until the server ends its idle
 * session, after the lock hold timeout: an application writing to the table meanwhile waits at most about that
 * long. A rerun started while the first process is stopped completes the phase, and the stopped process, once
 * continued, finds its session gone, starts the phase again and finds it done.
 */
class PausedMigrateTest {
    /** The bound on the application's longest wait with default settings (a 1 s lock hold timeout). */
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(2);
    private static final long STOPPED_MILLIS = 10_000;

    @TempDir
    Path logs;

    @Test
    void postgresEndsTheSessionOfAStoppedMigrateAndTheApplicationWaitsBriefly() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Connection app = db.connect()) {
            db.execute(Examples.shop());
            List<String> url = List.of("--url", db.url());
            try (Writer writer = new Writer(app)) {
                stopRerunAndContinue(url, "expand/main", "expand", example("add_column.yaml"));
                stopRerunAndContinue(url, "backfill/customers", "backfill");
                stopRerunAndContinue(url, "contract/main", "contract");
                writer.assertLongestWaitWithin(LONGEST_WAIT);
            }
            assertThat(db.rows("SELECT count(*), count(display_name) FROM customers")).containsExactly("200|200");
            assertThat(db.value("SELECT phase FROM tandem.migrations")).isEqualTo("complete");
        }
    }

    /**
     * MariaDB's DDL commits statement by statement, so a process stopped between two of expand's holds no lock
     * the application needs (only its run lock, so a rerun would wait); the backfill batch is where a stopped
     * process holds locks.
     */
    @Test
    void mariaDbHoldsNoLockBetweenStatementsAndEndsTheSessionOfABackfillStoppedInsideABatch() throws Exception {
        try (MariaDbTestDatabase db = MariaDbTestDatabase.create(); Connection app = db.connect()) {
            db.execute(Examples.schema("shop-mariadb.sql"));
            List<String> url = List.of("--url", db.url(db.name()));
            Path migration = Files.writeString(logs.resolve("add_display_name.yaml"), "name: add_display_name\n"
                    + "operations:\n  - add_column: {table: customers, column: {name: display_name, type: varchar(120)},"
                    + " up: \"CONCAT(first_name, ' ', last_name)\"}\n");
            try (Writer writer = new Writer(app)) {
                stopAndContinue(url, "expand/main/0", false, "expand", migration.toString());
                stopRerunAndContinue(url, "backfill/customers", "backfill");
                writer.assertLongestWaitWithin(LONGEST_WAIT);
            }
            runToTheEnd(url, "contract");
            assertThat(db.value("SELECT count(*) FROM customers WHERE display_name IS NULL")).isEqualTo("0");
        }
    }

    /**
     * A process stopped inside a switch of MariaDB's contract, between dropping the retyped column's original and
     * making the fence again without it, leaves a fence trigger that names the dropped column: the new version's
     * writes to the table fail ("Unknown column 'price' in 'NEW'") from the moment the server ends the stopped
     * session, after the lock hold timeout, until contract runs again. That session held the run lock, so a rerun
     * started meanwhile completes contract at once and the new version writes again; the stopped process, once
     * continued, finds contract done. (Found by an outside chaos run; the gap itself is documented in mysql.md.)
     */
    @Test
    void mariaDbContractStoppedInsideASwitchIsFinishedByARerunWhileStopped() throws Exception {
        try (MariaDbTestDatabase db = MariaDbTestDatabase.create(); Connection newVersion = db.connect()) {
            db.execute(Examples.schema("shop-mariadb.sql"));
            List<String> url = List.of("--url", db.url(db.name()));
            Path migration = Files.writeString(logs.resolve("price_cents.yaml"), "name: price_cents\n"
                    + "operations:\n"
                    + "  - alter_column: {table: products, column: price, type: bigint,"
                    + " up: 'CAST(round(price * 100) AS SIGNED)',"
                    + " down: 'CAST(price_cents / 100.0 AS DECIMAL(10, 2))'}\n"
                    + "  - rename_column: {table: products, from: price, to: price_cents}\n");
            runToTheEnd(url, "expand", migration.toString());
            runToTheEnd(url, "backfill");
            String version = db.name() + "__price_cents";
            try (PreparedStatement use = newVersion.prepareStatement("SET @tandem_version = ?")) {
                use.setString(1, version);
                use.execute();
            }
            try (PreparedStatement write = newVersion.prepareStatement(
                    "UPDATE `" + version + "`.products SET price_cents = price_cents + 1 WHERE id = 1");
                 Migrate stopped = new Migrate(url, List.of("-Dtandem.test.stopAt=switch/products"), "contract")) {
                assertThat(write.executeUpdate()).isOne();
                stopped.awaitStopped("switch/products");
                Thread.sleep(2_500); // the server ends the stopped session after the lock hold timeout, 1 s
                runToTheEnd(url, "contract");
                assertThat(write.executeUpdate()).isOne();
                stopped.signal("-CONT");
                stopped.assertSucceeds("the continued contract");
            }
            assertThat(db.value("SELECT phase FROM tandem.migrations WHERE target_schema = '" + db.name() + "'"))
                    .isEqualTo("complete");
            assertThat(db.value("SELECT price_cents FROM products WHERE id = 1")).isEqualTo("127");
        }
    }

    /**
     * Starts {@code migrate COMMAND}, which stops itself at {@code point}. While it is stopped, for 10 s, runs the
     * command again to the end; then lets the first go on: both end with exit code 0.
     */
    private void stopRerunAndContinue(List<String> url, String point, String... command) throws Exception {
        stopAndContinue(url, point, true, command);
    }

    /**
     * @param rerun whether to run the command again while the first is stopped; without its session ended by the
     *              server, a stopped process keeps the run lock and the rerun would wait for it
     */
    private void stopAndContinue(List<String> url, String point, boolean rerun, String... command) throws Exception {
        try (Migrate stopped = new Migrate(url, List.of("-Dtandem.test.stopAt=" + point), command)) {
            stopped.awaitStopped(point);
            long stoppedAt = System.nanoTime();
            if (rerun) {
                runToTheEnd(url, command);
            }
            Thread.sleep(Math.max(0, STOPPED_MILLIS - (System.nanoTime() - stoppedAt) / 1_000_000));
            stopped.signal("-CONT");
            stopped.assertSucceeds("the continued " + point);
        }
    }

    private void runToTheEnd(List<String> url, String... command) throws Exception {
        try (Migrate migrate = new Migrate(url, List.of(), command)) {
            migrate.assertSucceeds(String.join(" ", command));
        }
    }

    /** One {@code migrate} process, its output kept in a file; killed when closed if it has not ended. */
    private final class Migrate implements AutoCloseable {
        private final Process process;
        private final Path log;

        Migrate(List<String> url, List<String> jvmOptions, String... command) throws IOException {
            List<String> arguments = new ArrayList<>(List.of(command));
            arguments.addAll(url);
            log = Files.createTempFile(logs, "migrate", ".log");
            process = MigrateProcess.start(jvmOptions, arguments, ProcessBuilder.Redirect.to(log.toFile()));
        }

        void assertSucceeds(String what) throws Exception {
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(what + " ends").isTrue();
            assertThat(process.exitValue()).as("%s: %s", what, Files.readString(log)).isZero();
        }

        /** Waits (however long the JVM takes to start on a loaded machine) until the process stopped itself. */
        void awaitStopped(String point) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (true) {
                assertThat(process.isAlive()).as("migrate, which should stop at %s: %s", point, Files.readString(log))
                        .isTrue();
                if (state().equals("T")) {
                    return;
                }
                assertThat(System.nanoTime()).as("migrate stopped at %s in time", point).isLessThan(deadline);
                Thread.sleep(20);
            }
        }

        /** The process's state letter from /proc: T when stopped by a signal. */
        private String state() throws IOException {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        }

        void signal(String signal) throws Exception {
            assertThat(new ProcessBuilder("kill", signal, String.valueOf(process.pid())).start().waitFor()).isZero();
        }

        @Override
        public void close() {
            process.destroyForcibly(); // SIGKILL ends a stopped process too
        }
    }

    private static String example(String name) {
        return Path.of("../migrations-examples/src/main/resources/migrations", name).toString();
    }

    /**
     * The application: updates the first customers one after another on its own connection, without a timeout,
     * and notes its longest wait. Stops when closed, or after five minutes at the latest.
     */
    private static final class Writer implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long longestNanos;
        private volatile String failure;
        private volatile int writes;

        Writer(Connection connection) {
            thread = new Thread(() -> write(connection), "application");
            thread.start();
        }

        private void write(Connection connection) {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE customers SET last_name = last_name WHERE id = ?")) {
                for (int i = 0; running && System.nanoTime() < end; i++) {
                    update.setInt(1, 1 + i % 50);
                    long start = System.nanoTime();
                    update.executeUpdate();
                    longestNanos = Math.max(longestNanos, System.nanoTime() - start);
                    writes++;
                    Thread.sleep(5);
                }
            } catch (SQLException e) {
                failure = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void assertLongestWaitWithin(Duration bound) {
            assertThat(failure).as("the application's failure").isNull();
            assertThat(writes).as("the application's writes").isPositive();
            assertThat(Duration.ofNanos(longestNanos)).as("the application's longest wait").isLessThan(bound);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
