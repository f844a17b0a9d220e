package dev.tandem.coordinator.internal.backfill;

import static dev.tandem.coordinator.internal.backfill.ReplicaLagScenario.ROWS;
import static dev.tandem.coordinator.internal.backfill.ReplicaLagScenario.execute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.LocalReplication;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The replication lag limit against a PostgreSQL standby made with pg_basebackup, its replay paused and resumed. */
class PostgresReplicaLagTest {
    @RegisterExtension
    static final LocalReplication SERVERS = LocalReplication.postgres();
    private static final String FILL = "INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, " + ROWS + ") g";

    private final ReplicaLagScenario scenario = new ReplicaLagScenario(SERVERS);

    @AfterEach
    void closePools() {
        scenario.close();
    }

    @Test
    void aNamedStandbyPausedPastTheLimitPausesTheBackfillUntilItReplaysAgain() throws Exception {
        String database = database("lag_named");
        String reason = scenario.backfillWhileReplayPaused(database, "public", FILL,
                config -> config.replicas(List.of(scenario.pool(SERVERS.replicaUrl(database)))));

        assertThat(reason).matches("replication lag \\d+ ms on replica 1 \\(jdbc:postgresql://127\\.0\\.0\\.1:\\d+/"
                + database + ".*\\), more than the limit of 300 ms");
    }

    @Test
    void withoutNamedReplicasThePrimarysViewOfItsStandbyPausesTheBackfill() throws Exception {
        String database = database("lag_seen");
        String reason = scenario.backfillWhileReplayPaused(database, "public", FILL, UnaryOperator.identity());

        assertThat(reason).matches("replication lag \\d+ ms, more than the limit of 300 ms");
    }

    private static String database(String name) throws Exception {
        execute(SERVERS.primaryUrl("postgres"), "CREATE DATABASE " + name);
        SERVERS.awaitReplayed(); // the standby's pool connects to it at once
        return name;
    }
}
