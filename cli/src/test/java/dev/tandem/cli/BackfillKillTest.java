package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backfill process is killed with SIGKILL at random moments, several times, and resumed each time by a new
 * process: the result is the one an uninterrupted backfill gives, and no row is left out.
 */
class BackfillKillTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @Test
    void resumesAfterKillNineAtRandomMoments() throws Exception {
        db.execute(Examples.shop());
        db.execute("INSERT INTO customers (email, first_name, last_name) SELECT 'bulk' || g || '@example.com', "
                + "'F' || g, 'L' || g FROM generate_series(1, 60000) AS g");
        Path migration = Path.of("../migrations-examples/src/main/resources/migrations/add_column.yaml");
        assertThat(migrate("expand", migration.toString()).waitFor()).isZero();

        int killedMidway = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            // paced so that a kill lands while batches commit; waits for the first batches, however long the JVM
            // takes to start on a loaded machine
            Process backfill = migrate("backfill", "--batch-size", "200", "--batch-max", "200", "--max-rate", "15000");
            long pendingAtStart = pending();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (backfill.isAlive() && pending() == pendingAtStart && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(0, 800));
            if (backfill.isAlive()) {
                backfill.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback from the client side
                backfill.waitFor(30, TimeUnit.SECONDS);
                long pending = pending();
                if (pending > 0 && pending < 60200) {
                    killedMidway++;
                }
            }
        }
        Process last = migrate("backfill", "--verify");
        assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(last.exitValue()).isZero();

        assertThat(killedMidway).as("backfills killed between batches").isPositive();
        assertThat(db.value("SELECT count(*) FROM customers WHERE display_name IS DISTINCT FROM "
                + "first_name || ' ' || last_name")).isEqualTo("0");
        assertThat(migrate("contract").waitFor()).isZero();
        assertThat(db.rows("SELECT count(*), count(display_name) FROM customers")).containsExactly("60200|60200");
    }

    private long pending() {
        return Long.parseLong(db.value("SELECT count(*) FROM customers WHERE display_name IS NULL"));
    }

    private Process migrate(String... arguments) throws IOException {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.addAll(List.of("--url", db.url()));
        return MigrateProcess.start(List.of(), all, ProcessBuilder.Redirect.DISCARD);
    }
}
