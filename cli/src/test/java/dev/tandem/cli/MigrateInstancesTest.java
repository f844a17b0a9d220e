package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuard;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live application instances in {@code migrate status}, and the contract gate with and without --force. */
class MigrateInstancesTest {
    @TempDir
    Path dir;

    @Test
    void contractIsRefusedWhileAnOldInstanceRunsAndForcedPastIt() {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Cli cli = new Cli(db);
            assertThat(cli.run("expand", Cli.example(dir, "add_column.yaml").toString()).exitCode()).isZero();
            assertThat(cli.run("backfill").exitCode()).isZero();

            try (InstanceRegistration old = PhaseGuard.builder("base").host("old-1").build().start(db.pool())) {
                Cli.Result status = cli.run("status");
                assertThat(status.out()).contains("Application instances with a heartbeat within the last 60 s:\n"
                        + "  version base: old-1 (since " + old.startedAt() + ", last seen ");
                JsonNode json = cli.run("status", "--output", "json").json();
                assertThat(json.at("/live_instances/base/0/host").asText()).isEqualTo("old-1");

                Cli.Result refused = cli.run("contract");
                assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
                assertThat(refused.err()).contains("contract removes version 'base', and 1 instance(s) of it sent a "
                        + "heartbeat within the last 60 s: old-1 (version base, last seen ");

                Cli.Result forced = cli.run("contract", "--force");
                assertThat(forced.exitCode()).as(forced.toString()).isZero();
                assertThat(cli.run("status", "--output", "json").json().at("/migrations/0/history").toString())
                        .contains("forced; live instances of version 'base': old-1 (version base, last seen ");
            }
            assertThat(cli.run("status").out())
                    .contains("No application instance sent a heartbeat within the last 60 s.");
        }
    }
}
