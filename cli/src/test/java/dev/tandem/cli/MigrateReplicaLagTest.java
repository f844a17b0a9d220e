package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.testing.LocalReplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate backfill --replica URL --max-replication-lag MS} against a real MariaDB replica. */
class MigrateReplicaLagTest {
    @RegisterExtension
    static final LocalReplication SERVERS = LocalReplication.mariadb();

    @TempDir
    Path dir;

    @Test
    void theBackfillPausesForTheNamedReplicaWhileItsSqlThreadIsStopped() throws Exception {
        try (Connection c = DriverManager.getConnection(SERVERS.primaryUrl("")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE shop");
            s.execute("CREATE TABLE shop.customers (id int PRIMARY KEY, first_name varchar(50))");
            s.execute("INSERT INTO shop.customers SELECT seq, CONCAT('n', seq) FROM shop.seq_1_to_3000");
        }
        Path file = Files.writeString(dir.resolve("add_display_name.yaml"), "name: add_display_name\n"
                + "operations:\n  - add_column:\n      table: customers\n"
                + "      column: {name: display_name, type: varchar(50)}\n      up: first_name\n");
        Cli cli = new Cli(List.of("--url", SERVERS.primaryUrl("shop")));
        Cli.Result expand = cli.run("expand", file.toString());
        assertThat(expand.exitCode()).as(expand.toString()).isZero();
        SERVERS.awaitReplayed();

        SERVERS.pauseReplay();
        CompletableFuture<Cli.Result> backfill = CompletableFuture.supplyAsync(() -> cli.run("backfill",
                "--replica", SERVERS.replicaUrl("shop"), "--max-replication-lag", "300", "--max-rate", "1500",
                "--batch-size", "100", "--batch-min", "100", "--batch-max", "100", "--output", "json"));
        try {
            Thread.sleep(1_500); // the lag passes 300 ms within the first half second of the 2 s of batches
            assertThat(backfill).isNotDone();
        } finally {
            SERVERS.resumeReplay();
        }
        Cli.Result result = backfill.get(60, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<JsonNode> paused = result.jsonLines().stream().filter(line -> "paused".equals(line.path("event")
                .asText())).toList();
        assertThat(paused).as(result.toString()).isNotEmpty();
        assertThat(paused.get(0).path("reason").asText()).matches("replication lag \\d+ ms on replica 1 "
                + "\\(jdbc:mariadb://127\\.0\\.0\\.1:\\d+/shop.*\\), more than the limit of 300 ms");
    }
}
