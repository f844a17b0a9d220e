package dev.tandem.coordinator.internal.backfill;

import static dev.tandem.coordinator.internal.backfill.ReplicaLagScenario.ROWS;
import static dev.tandem.coordinator.internal.backfill.ReplicaLagScenario.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.UnsupportedDatabaseException;
import dev.tandem.coordinator.testing.LocalReplication;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The replication lag limit against a MariaDB replica, its SQL thread stopped and started again. */
class MariaDbReplicaLagTest {
    @RegisterExtension
    static final LocalReplication SERVERS = LocalReplication.mariadb();

    private final ReplicaLagScenario scenario = new ReplicaLagScenario(SERVERS);

    @AfterEach
    void closePools() {
        scenario.close();
    }

    @Test
    void aReplicaWithItsSqlThreadStoppedPastTheLimitPausesTheBackfillUntilItAppliesAgain() throws Exception {
        String database = database("lag_named");
        String reason = scenario.backfillWhileReplayPaused(database, database,
                "INSERT INTO items SELECT seq, CONCAT('n', seq) FROM seq_1_to_" + ROWS,
                config -> config.replicas(List.of(scenario.pool(SERVERS.replicaUrl(database)))));

        assertThat(reason).matches("replication lag \\d+ ms on replica 1 \\(jdbc:mariadb://127\\.0\\.0\\.1:\\d+/"
                + database + ".*\\), more than the limit of 300 ms");
    }

    @Test
    void withoutNamedReplicasTheLimitIsRefused() throws Exception {
        String database = database("lag_unnamed");
        execute(SERVERS.primaryUrl(database), "CREATE TABLE items (id int PRIMARY KEY, name varchar(40))",
                "INSERT INTO items VALUES (1, 'n1')");
        Tandem tandem = Tandem.create(scenario.pool(SERVERS.primaryUrl(database)), TandemConfig.builder()
                .schema(database).maxReplicationLag(ReplicaLagScenario.LIMIT).build());
        tandem.expand(ReplicaLagScenario.ADD_LABEL);

        assertThatThrownBy(() -> tandem.backfill("add_label", BackfillListener.NONE))
                .isInstanceOf(UnsupportedDatabaseException.class)
                .hasMessageContaining("a MariaDB primary does not see its replicas' lag: name the replicas");
    }

    private static String database(String name) throws Exception {
        execute(SERVERS.primaryUrl(""), "CREATE DATABASE " + name);
        return name;
    }
}
