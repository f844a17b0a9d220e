package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuard;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code migrate status} of two migrations in flight, B's version built on A's, on PostgreSQL and MariaDB: each with
 * the version it builds on and its own, whether served, and their live instances, as text and JSON.
 */
@ParameterizedClass
@EnumSource(MigrateStackStatusTest.Server.class)
class MigrateStackStatusTest {
    enum Server { POSTGRESQL, MARIADB }

    @Parameter
    Server server;

    private AutoCloseable db;
    private Cli cli;
    private String schema;
    private DataSource pool;

    @BeforeEach
    void expandAStack() {
        Tandem tandem;
        if (server == Server.POSTGRESQL) {
            TestDatabase pg = TestDatabase.create();
            pg.execute(Examples.shop());
            db = pg;
            cli = new Cli(pg);
            schema = "public";
            pool = pg.pool();
            tandem = pg.tandem();
        } else {
            MariaDbTestDatabase maria = MariaDbTestDatabase.create();
            maria.execute(Examples.MARIADB_SHOP);
            db = maria;
            cli = new Cli(List.of("--url", maria.url(maria.name())));
            schema = maria.name();
            pool = maria.pool(null, 2);
            tandem = maria.tandem();
        }
        tandem.expand(Examples.inline("stack_a",
                "{add_column: {table: customers, column: {name: nickname, type: varchar(50)}, up: first_name}}"));
        tandem.expand(Examples.inline("stack_b",
                "{add_column: {table: orders, column: {name: gift_note, type: varchar(50)}, up: note}}"));
        tandem.backfill("stack_a", BackfillListener.NONE);
    }

    @AfterEach
    void dropDatabase() throws Exception {
        db.close();
    }

    private InstanceRegistration start(String version, String host) {
        return PhaseGuard.builder(version).schema(schema).host(host).build().start(pool);
    }

    @Test
    void showsEachMigrationInFlightWithItsVersionsAndTheirInstances() {
        try (InstanceRegistration old = start("base", "old-1"); InstanceRegistration a = start("stack_a", "a-1")) {
            Cli.Result text = cli.run("status");
            assertThat(text.exitCode()).as(text.toString()).isZero();
            assertThat(text.out())
                    .contains("  version base: served (old, until 'stack_a' is contracted); 1 live: old-1\n"
                            + "  version stack_a: served (new, 'stack_a' is expanded; old, until 'stack_b' is "
                            + "contracted); 1 live: a-1\n")
                    .contains("  version stack_a: served (new, 'stack_a' is expanded; old, until 'stack_b' is "
                            + "contracted); 1 live: a-1\n"
                            + "  version stack_b: backfill pending (new, 'stack_b' is expanded); no live instance\n")
                    .contains("Application instances with a heartbeat within the last 60 s:\n"
                            + "  version base: old-1 (since ");
            assertThat(text.out().indexOf("stack_a: expanded")).isLessThan(text.out().indexOf("stack_b: expanded"));

            JsonNode json = cli.run("status", "--output", "json").json();
            assertThat(json.at("/migrations/0/versions/0/name").asText()).isEqualTo("base");
            assertThat(json.at("/migrations/0/versions/0/live_instances/0/host").asText()).isEqualTo("old-1");
            assertThat(json.at("/migrations/1/versions/0/name").asText()).isEqualTo("stack_a");
            assertThat(json.at("/migrations/1/versions/1/serving").asText()).isEqualTo("backfill_pending");
            assertThat(json.at("/migrations/1/versions/1/role").asText()).isEqualTo("new, 'stack_b' is expanded");
            assertThat(json.at("/live_instances/stack_a/0/host").asText()).isEqualTo("a-1");
        }
        assertThat(cli.run("backfill", "stack_b").exitCode()).isZero();
        assertThat(cli.run("status").out())
                .contains("  version stack_b: served (new, 'stack_b' is expanded); no live instance\n");
    }
}
