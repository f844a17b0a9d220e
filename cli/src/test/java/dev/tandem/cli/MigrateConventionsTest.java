package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users of other command-line tools expect: focused --help, suggestions, completion, --role. */
class MigrateConventionsTest {
    @TempDir
    Path dir;

    @Test
    void eachCommandsHelpListsOnlyItsOwnOptions() {
        String top = Cli.runRaw("--help").out();
        assertThat(top).contains("for PostgreSQL and MariaDB").contains("completion")
                .contains("env TANDEM_<OPTION>").contains("A flag wins over env, env over the file");

        for (String command : new String[] {"plan", "status", "expand", "contract", "rollback"}) {
            assertThat(Cli.runRaw(command, "--help").out()).as(command)
                    .contains("--url", "--lock-timeout", "--config")
                    .doesNotContain("--batch-size", "--workers", "--max-rate", "--max-replication-lag");
        }
        assertThat(Cli.runRaw("backfill", "--help").out()).contains("--batch-size", "--workers", "--max-rate")
                .doesNotContain("--instance-ttl");
        assertThat(Cli.runRaw("status", "--help").out()).contains("--instance-ttl");
        assertThat(Cli.runRaw("plan", "--help").out()).doesNotContain("--instance-ttl");
        for (String command : new String[] {"expand", "backfill", "contract", "rollback"}) {
            assertThat(Cli.runRaw(command, "--help").out()).as(command)
                    .contains("--hooks", "--hook-timeout", "--metrics-port", "--metrics-host", "--metrics-push");
        }
        for (String command : new String[] {"plan", "status", "baseline", "verify-data"}) {
            assertThat(Cli.runRaw(command, "--help").out()).as(command).doesNotContain("--hooks", "--metrics-port");
        }
    }

    @Test
    void mistypedCommandsAndOptionsGetSuggestions() {
        Cli.Result command = Cli.runRaw("expnad", "file.yaml");
        assertThat(command.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(command.err()).contains("'expnad'").contains("did you mean expand?");

        Cli.Result option = Cli.runRaw("backfill", "--worker", "3");
        assertThat(option.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(option.err()).isEqualTo("migrate backfill: Unknown option: '--worker'; did you mean --workers? "
                + "(see 'migrate backfill --help')\n");
    }

    @Test
    void completionScriptsForBashAndZsh() {
        for (String shell : new String[] {"bash", "zsh"}) {
            Cli.Result script = Cli.runRaw("completion", shell);
            assertThat(script.exitCode()).as(script.toString()).isZero();
            assertThat(script.out()).contains("complete -F _complete_migrate")
                    .contains("ZSH_VERSION")
                    .contains("expand", "backfill", "verify-data", "--lock-timeout", "--workers", "--config");
        }
        assertThat(Cli.runRaw("completion", "fish").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void aMissingRightIsNamedBeforeAnythingIsCreated() throws SQLException {
        String role = "tandem_nobody_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            db.execute("CREATE ROLE " + role + " NOLOGIN");
            Path file = Cli.example(dir, "add_column.yaml");

            Cli.Result noCreate = new Cli(db).run("expand", file.toString(), "--role", role);
            assertThat(noCreate.exitCode()).as(noCreate.toString()).isEqualTo(ExitCodes.DATABASE);
            assertThat(noCreate.err()).isEqualTo("migrate expand: user '" + role + "' may not create Tandem's state "
                    + "schema 'tandem': that needs CREATE on database '" + db.name() + "' (GRANT CREATE ON DATABASE \""
                    + db.name() + "\" TO \"" + role + "\"), or create the schema beforehand (CREATE SCHEMA \"tandem\" "
                    + "AUTHORIZATION \"" + role + "\")\n");
            assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tandem'")).isEqualTo("0");

            assertThat(new Cli(db).run("expand", file.toString()).exitCode()).isZero();
            db.execute("GRANT CREATE ON DATABASE \"" + db.name() + "\" TO " + role);
            Cli.Result noUsage = new Cli(db).run("rollback", "add_display_name", "--role", role);
            assertThat(noUsage.exitCode()).as(noUsage.toString()).isEqualTo(ExitCodes.DATABASE);
            assertThat(noUsage.err()).startsWith("migrate rollback: user '" + role + "' lacks USAGE on Tandem's state "
                    + "schema 'tandem', which belongs to '");
        } finally {
            dropRole(role);
        }
    }

    @Test
    void aUserWhoDoesNotOwnTheTablesIsRefusedBeforeTheStateSchemaIsCreated() throws SQLException {
        String role = "tandem_login_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            db.execute("CREATE ROLE " + role + " LOGIN", "GRANT CREATE ON DATABASE \"" + db.name() + "\" TO " + role);
            Path file = Cli.example(dir, "add_column.yaml");
            Cli asRole = new Cli(List.of("--url", "jdbc:postgresql://127.0.0.1:5432/" + db.name() + "?user=" + role));

            Cli.Result expand = asRole.run("expand", file.toString());

            String refusal = "migrate expand: user '" + role + "' may not change table 'public.customers', which "
                    + "the migration changes: that needs ownership of the table, which belongs to 'postgres' (ALTER "
                    + "TABLE \"public\".\"customers\" OWNER TO \"" + role + "\"), or membership in its owner "
                    + "(GRANT \"postgres\" TO \"" + role + "\", then --role postgres)\n";
            assertThat(expand.exitCode()).as(expand.toString()).isEqualTo(ExitCodes.DATABASE);
            assertThat(expand.err()).isEqualTo(refusal);
            assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname IN ('tandem', "
                    + "'public_add_display_name')")).isEqualTo("0");

            db.execute("ALTER TABLE customers OWNER TO " + role);
            for (String phase : List.of("expand", "rollback")) {
                Cli.Result owner = phase.equals("expand") ? asRole.run(phase, file.toString()) : asRole.run(phase);
                assertThat(owner.exitCode()).as(owner.toString()).isZero();
            }
            // with the state installed, the refusal still comes before the migration is recorded
            db.execute("ALTER TABLE customers OWNER TO postgres");
            Cli.Result again = asRole.run("expand", file.toString());
            assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.DATABASE);
            assertThat(again.err()).isEqualTo(refusal);
            assertThat(db.value("SELECT phase FROM tandem.migrations")).isEqualTo("rolled_back");
            assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'public_add_display_name'"))
                    .isEqualTo("0");
        } finally {
            dropRole(role);
        }
    }

    private static void dropRole(String role) throws SQLException {
        try (Connection admin = DriverManager.getConnection(
                System.getenv().getOrDefault("TANDEM_PG_URL", TestDatabase.DEFAULT_URL));
             Statement s = admin.createStatement()) {
            s.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void roleOwnsWhatExpandCreates() throws SQLException {
        String role = "tandem_owner_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            db.execute("CREATE ROLE " + role + " NOLOGIN",
                    "GRANT CREATE ON DATABASE \"" + db.name() + "\" TO " + role,
                    "GRANT ALL ON SCHEMA public TO " + role,
                    "DO $$ DECLARE t record; BEGIN "
                            + "FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                            + "LOOP EXECUTE format('ALTER TABLE public.%I OWNER TO " + role + "', t.tablename); "
                            + "END LOOP; END $$");
            Path file = Cli.example(dir, "add_column.yaml");

            Cli.Result expand = new Cli(db).run("expand", file.toString(), "--role", role);

            assertThat(expand.exitCode()).as(expand.toString()).isZero();
            assertThat(db.value("SELECT pg_get_userbyid(nspowner) FROM pg_namespace "
                    + "WHERE nspname = 'public_add_display_name'")).isEqualTo(role);
            assertThat(db.value("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'tandem'"))
                    .isEqualTo(role);
            Cli.Result odd = new Cli(db).run("status", "--role", "x\"; DROP TABLE customers; --");
            assertThat(odd.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(odd.err()).contains("--role").contains("may only contain letters, digits and underscores");
        } finally {
            dropRole(role);
        }
    }
}
