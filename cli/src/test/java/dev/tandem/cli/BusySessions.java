package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sessions of the application that keep the database busy (active, in pg_sleep) until closed, so that a
 * backfill with --max-active-sessions below their number pauses first.
 */
final class BusySessions implements AutoCloseable {
    private final List<Connection> connections = new ArrayList<>();
    private final List<CompletableFuture<Void>> sleeping = new ArrayList<>();
    private final TestDatabase db;

    BusySessions(TestDatabase db, int sessions) throws Exception {
        this.db = db;
        for (int i = 0; i < sessions; i++) {
            Connection connection = db.connect();
            connections.add(connection);
            sleeping.add(CompletableFuture.runAsync(() -> {
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT pg_sleep(3)");
                } catch (Exception e) {
                    // cancelled when closed
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!db.value("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE "
                + "'SELECT pg_sleep%' AND datname = current_database()").equals(String.valueOf(sessions))) {
            assertThat(System.nanoTime()).as("busy sessions started").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        for (CompletableFuture<Void> session : sleeping) {
            session.get(1, TimeUnit.MINUTES);
        }
        for (Connection connection : connections) {
            connection.close();
        }
    }
}
