package dev.tandem.coordinator.internal.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.LocalReplication;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The backfill against a real replica, the same on both databases: while the replica applies nothing its lag
 * passes the limit, the backfill pauses and commits no batch; once the replica applies again the backfill resumes
 * and ends, and the replica holds every filled row. Closes the pools it opened.
 */
final class ReplicaLagScenario implements AutoCloseable {
    static final int ROWS = 5_000;
    static final Duration LIMIT = Duration.ofMillis(300);
    static final Migration ADD_LABEL = Examples.inline("add_label", "add_column: {table: items, column: {name: "
            + "label, type: varchar(60)}, up: \"upper(name)\"}");
    private static final Duration HELD = Duration.ofSeconds(1);

    private final LocalReplication servers;
    private final List<HikariDataSource> pools = new ArrayList<>();

    ReplicaLagScenario(LocalReplication servers) {
        this.servers = servers;
    }

    /**
     * Creates {@code items} with {@link #ROWS} rows in {@code database} ({@code fill} inserts them), expands a new
     * column, stops the replica applying and backfills in small batches at a limited rate. Once the backfill has paused, holds the
     * replica stopped for a second and checks that no batch committed meanwhile, then lets it apply again.
     * Returns why the backfill paused.
     */
    String backfillWhileReplayPaused(String database, String schema, String fill,
                                     UnaryOperator<TandemConfig.Builder> replicas) throws Exception {
        String primary = servers.primaryUrl(database);
        execute(primary, "CREATE TABLE items (id int PRIMARY KEY, name varchar(40))", fill);
        // at most 2 s of batches without the pause, so that the replica's lag passes the limit long before the end
        TandemConfig config = replicas.apply(TandemConfig.builder().schema(schema).batchSize(100)
                .batchSizeBounds(100, 100).maxRate(ROWS / 2).maxReplicationLag(LIMIT)
                .throttleInterval(Duration.ofMillis(50))).build();
        Tandem tandem = Tandem.create(pool(primary), config);
        tandem.expand(ADD_LABEL);
        servers.awaitReplayed();

        AtomicInteger batches = new AtomicInteger();
        CountDownLatch paused = new CountDownLatch(1);
        List<String> reasons = new ArrayList<>();
        servers.pauseReplay();
        CompletableFuture<Void> backfill = CompletableFuture.runAsync(() -> tandem.backfill("add_label",
                new BackfillListener() {
                    @Override
                    public void batchDone(BackfillProgress progress) {
                        batches.incrementAndGet();
                    }

                    @Override
                    public void paused(String table, String reason) {
                        synchronized (reasons) {
                            reasons.add(reason);
                        }
                        paused.countDown();
                    }
                }));
        try {
            assertThat(paused.await(30, TimeUnit.SECONDS)).as("the backfill paused").isTrue();
            int before = batches.get();
            Thread.sleep(HELD.toMillis());
            assertThat(batches.get()).as("batches committed while the replica lagged").isEqualTo(before);
            assertThat(backfill).as("the backfill while the replica lagged").isNotDone();
        } finally {
            servers.resumeReplay();
        }
        backfill.get(60, TimeUnit.SECONDS);

        BackfillProgress progress = tandem.status().get(0).backfill().get(0);
        assertThat(progress.rowsDone()).isEqualTo(ROWS);
        assertThat(progress.pausedMillis()).isGreaterThanOrEqualTo(HELD.toMillis());
        servers.awaitReplayed();
        String unfilled = "SELECT count(*) FROM items WHERE label IS NULL OR label <> upper(name)";
        assertThat(value(primary, unfilled)).isEqualTo("0");
        assertThat(value(servers.replicaUrl(database), unfilled)).as("rows left unfilled on the replica")
                .isEqualTo("0");
        synchronized (reasons) {
            return reasons.get(0);
        }
    }

    DataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(3);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
    }

    static void execute(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static String value(String url, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getString(1);
        }
    }
}
