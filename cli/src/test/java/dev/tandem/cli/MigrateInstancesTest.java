package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuard;
import dev.tandem.dualwrite.PhaseGuardException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Live application instances in {@code migrate status}, and the gates of contract (no live instance of the old
 * version) and rollback (none of the new one), with and without --force, on PostgreSQL and MariaDB.
 */
@ParameterizedClass
@EnumSource(MigrateInstancesTest.Server.class)
class MigrateInstancesTest {
    enum Server { POSTGRESQL, MARIADB }

    @Parameter
    Server server;
    @TempDir
    Path dir;

    private AutoCloseable db;
    private Cli cli;
    private String schema;
    private DataSource pool;
    private String migration;

    @BeforeEach
    void createDatabase() throws IOException {
        if (server == Server.POSTGRESQL) {
            TestDatabase pg = TestDatabase.create();
            pg.execute(Examples.shop());
            db = pg;
            cli = new Cli(pg);
            schema = "public";
            pool = pg.pool();
            migration = Cli.example(dir, "add_column.yaml").toString();
        } else {
            MariaDbTestDatabase maria = MariaDbTestDatabase.create();
            maria.execute("CREATE TABLE customers (id BIGINT AUTO_INCREMENT PRIMARY KEY, first_name VARCHAR(50))",
                    "INSERT INTO customers (first_name) VALUES ('Ada'), ('Grace')");
            db = maria;
            // no --schema: on MariaDB it defaults to the database the URL names
            cli = new Cli(List.of("--url", maria.url(maria.name())));
            schema = maria.name();
            pool = maria.pool(null, 2);
            migration = Files.writeString(dir.resolve("add_display_name.yaml"), "name: add_display_name\n"
                    + "operations:\n  - add_column:\n      table: customers\n"
                    + "      column: {name: display_name, type: varchar(50)}\n      up: first_name\n").toString();
        }
        assertThat(cli.run("expand", migration).exitCode()).isZero();
        assertThat(cli.run("backfill").exitCode()).isZero();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        db.close();
    }

    private InstanceRegistration start(String version, String host) {
        return PhaseGuard.builder(version).schema(schema).host(host).build().start(pool);
    }

    private String history() {
        return cli.run("status", "--output", "json").json().at("/migrations/0/history").toString();
    }

    @Test
    void contractIsRefusedWhileAnOldInstanceRunsAndForcedPastIt() {
        try (InstanceRegistration old = start("base", "old-1")) {
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
            assertThat(history()).contains("forced; live instances of version 'base': old-1 (version base, "
                    + "last seen ");
        }
        assertThat(cli.run("status").out())
                .contains("No application instance sent a heartbeat within the last 60 s.");
    }

    @Test
    void keepIsRefusedWhileAnOldInstanceRunsAndRevertLetsTheOldVersionStartAgain() {
        try (InstanceRegistration old = start("base", "old-1")) {
            Cli.Result refused = cli.run("contract", "--keep");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
            assertThat(refused.err()).contains("contract --keep removes version 'base', and 1 instance(s) of it sent "
                    + "a heartbeat within the last 60 s: old-1 (version base, last seen ");
            assertThat(cli.run("status", "--output", "json").json().at("/migrations/0/phase").asText())
                    .isEqualTo("expanded");
        }
        assertThat(cli.run("contract", "--keep").exitCode()).isZero();
        assertThatThrownBy(() -> start("base", "old-2")).isInstanceOf(PhaseGuardException.class)
                .hasMessageContaining("bring this version back with `migrate revert add_display_name`");

        assertThat(cli.run("revert").exitCode()).isZero();
        try (InstanceRegistration back = start("base", "old-2")) {
            Cli.Result refused = cli.run("contract", "--keep");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
            assertThat(refused.err()).contains("old-2 (version base, last seen ");
        }
    }

    @Test
    void rollbackIsRefusedWhileANewInstanceRunsAndForcedPastIt() {
        try (InstanceRegistration old = start("base", "old-1");
             InstanceRegistration canary = start("add_display_name", "canary-1")) {
            Cli.Result refused = cli.run("rollback");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
            assertThat(refused.err()).contains("rollback removes version 'add_display_name', and 1 instance(s) of "
                    + "it sent a heartbeat within the last 60 s: canary-1 (version add_display_name, last seen ");
            assertThat(cli.run("status", "--output", "json").json().at("/migrations/0/phase").asText())
                    .isEqualTo("expanded");

            Cli.Result forced = cli.run("rollback", "--force");
            assertThat(forced.exitCode()).as(forced.toString()).isZero();
            assertThat(history()).contains("forced; live instances of version 'add_display_name': canary-1 "
                    + "(version add_display_name, last seen ");
        }
    }
}
