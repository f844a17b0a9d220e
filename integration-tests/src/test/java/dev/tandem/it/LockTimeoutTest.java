package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Expand against a table another session keeps locked: it waits at most the lock timeout per attempt, so the
 * sessions queued behind its lock request get through between attempts, and after its retries it gives up
 * naming the blocker and leaving the catalog as it was.
 */
class LockTimeoutTest {
    /** Long enough that a read unblocked by one attempt's timeout finishes before the next attempt. */
    private static final Duration PAUSE_BETWEEN_ATTEMPTS = Duration.ofSeconds(1);

    @Test
    void expandGivesUpNamingTheBlockerWithoutStallingReadsAndSucceedsOnceTheLockIsGone() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (TestDatabase db = TestDatabase.create()) {
            Shop.create(db, 0, 0);
            Migration migration = Examples.migration("add_column.yaml");
            Tandem tandem = Tandem.create(db.pool(null, 1), TandemConfig.builder().lockTimeout(Duration.ofMillis(100))
                    .lockRetries(2).retryDelays(PAUSE_BETWEEN_ATTEMPTS, PAUSE_BETWEEN_ATTEMPTS).build());
            List<String> before = Catalog.dump(db);

            try (Connection blocker = db.connect(); Connection watcher = db.connect(); Connection reader = db.connect()) {
                blocker.setAutoCommit(false);
                try (Statement lock = blocker.createStatement()) {
                    lock.execute("LOCK TABLE customers IN ACCESS SHARE MODE");
                }
                String blockerPid = value(blocker, "SELECT pg_backend_pid()");
                Future<PhaseResult> expand = thread.submit(() -> tandem.expand(migration));

                while (value(watcher, "SELECT count(*) FROM pg_locks WHERE relation = 'customers'::regclass "
                        + "AND mode = 'AccessExclusiveLock' AND NOT granted").equals("0")) {
                    assertThat(expand).as("expand, which should wait for its lock on customers").isNotDone();
                    Thread.sleep(2);
                }
                assertThat(value(reader, "SELECT count(*) FROM customers"))
                        .as("a read queued behind expand's lock request").isEqualTo("200");
                assertThat(expand).as("expand, still retrying when the read is done").isNotDone();

                assertThatThrownBy(expand::get).isInstanceOf(ExecutionException.class).cause()
                        .isInstanceOf(DatabaseException.class)
                        .hasMessageStartingWith("add_column.yaml: operation 1 (add_column): ")
                        .hasMessageContaining("could not take the ACCESS EXCLUSIVE lock on public.customers")
                        .hasMessageContaining("3 attempt(s)")
                        .hasMessageContaining("pid " + blockerPid + " holds AccessShareLock");
                assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
                assertThat(tandem.status()).isEmpty();
                blocker.rollback();
            }
            assertThat(tandem.expand(migration).outcome()).isEqualTo("expanded");
        } finally {
            thread.shutdownNow();
        }
    }

    private static String value(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}

