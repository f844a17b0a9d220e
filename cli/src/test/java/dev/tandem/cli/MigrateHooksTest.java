package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hooks per phase ({@code --hooks DIR}): called in order around each phase with the run's context in
 * {@code TANDEM_*} variables and no secret; a failing or hanging pre- hook stops its phase before anything changes
 * (exit code 6), and the same command run again once the hook passes continues the migration.
 */
class MigrateHooksTest {
    private static final String EVERY_HOOK = "echo \"$(basename \"$0\") $TANDEM_PHASE $TANDEM_MIGRATION "
            + "$TANDEM_DATABASE_KIND outcome=$TANDEM_OUTCOME state=$TANDEM_STATE rows=$TANDEM_ROWS "
            + "exit=$TANDEM_EXIT_CODE\" >> ";

    @TempDir
    Path dir;

    @Test
    void hooksRunInOrderAroundEachPhaseAndOnFailure() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Path hooks = everyHook(List.of("pre-expand", "pre-expand.second", "post-expand", "pre-backfill",
                    "post-backfill", "pre-contract", "post-contract", "on-failure", "on-throttle"));
            hook(hooks, "pre-expand", "echo checked the deploy window\n" + EVERY_HOOK + log());
            Cli cli = new Cli(List.of("--url", db.url(), "--hooks", hooks.toString()));
            Path file = Cli.example(dir, "add_column.yaml");

            Cli.Result expand = cli.run("expand", file.toString());
            assertThat(expand.exitCode()).as(expand.toString()).isZero();
            assertThat(expand.err()).contains("hook pre-expand: checked the deploy window");
            Cli.Result early = cli.run("contract");
            assertThat(early.exitCode()).as(early.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
            assertThat(cli.run("backfill").exitCode()).isZero();
            assertThat(cli.run("contract").exitCode()).isZero();

            assertThat(Files.readAllLines(log())).containsExactly(
                    "pre-expand expand add_display_name postgresql outcome= state= rows= exit=",
                    "pre-expand.second expand add_display_name postgresql outcome= state= rows= exit=",
                    "post-expand expand add_display_name postgresql outcome=expanded state=expanded rows=0 exit=",
                    "pre-contract contract add_display_name postgresql outcome= state= rows= exit=",
                    "on-failure contract add_display_name postgresql outcome=failed state= rows= exit=3",
                    "pre-backfill backfill add_display_name postgresql outcome= state= rows= exit=",
                    "post-backfill backfill add_display_name postgresql outcome=backfilled state=expanded rows=200 "
                            + "exit=",
                    "pre-contract contract add_display_name postgresql outcome= state= rows= exit=",
                    "post-contract contract add_display_name postgresql outcome=contracted state=complete rows=0 "
                            + "exit=");
        }
    }

    @Test
    void aFailingPostHookLeavesThePhaseDoneAndFailsTheCommand() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Path hooks = Files.createDirectory(dir.resolve("hooks"));
            hook(hooks, "post-expand", "echo the deploy system said no\nexit 1");
            Cli cli = new Cli(List.of("--url", db.url(), "--hooks", hooks.toString()));
            String file = Cli.example(dir, "add_column.yaml").toString();

            Cli.Result expand = cli.run("expand", file);
            assertThat(expand.exitCode()).as(expand.toString()).isEqualTo(ExitCodes.HOOK);
            assertThat(expand.out()).startsWith("add_display_name: expanded (");
            assertThat(expand.err()).contains("hook post-expand: the deploy system said no",
                    "migrate expand: expand is done (add_display_name expanded), but hook post-expand exited with 1; "
                            + "running expand again finds it done and runs post-expand again");
            assertThat(db.value("SELECT phase FROM tandem.migrations")).isEqualTo("expanded");

            hook(hooks, "post-expand", "exit 0");
            Cli.Result again = cli.run("expand", file);
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out()).startsWith("add_display_name: already expanded");
        }
    }

    /** With --changelog the migration is the changelog's path, and the outcome the changesets a phase ran. */
    @Test
    void aChangelogsPhasesHaveHooksToo() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Path changelog = Files.writeString(Files.createDirectories(dir.resolve("db")).resolve("changelog.sql"),
                    String.join("\n", "--liquibase formatted sql", "",
                            "--changeset shop:1 labels:expand", "CREATE TABLE item (id int PRIMARY KEY, label text);",
                            "--rollback DROP TABLE item;", ""));
            Path hooks = everyHook(List.of("pre-expand", "post-expand", "pre-rollback", "post-rollback"));
            Cli cli = new Cli(List.of("--url", db.url(), "--hooks", hooks.toString(), "--changelog",
                    changelog.toString(), "--search-path", dir.toString()));

            assertThat(cli.run("expand").exitCode()).isZero();
            Cli.Result rollback = cli.run("rollback");
            assertThat(rollback.exitCode()).as(rollback.toString()).isZero();

            assertThat(Files.readAllLines(log())).containsExactly(
                    "pre-expand expand db/changelog.sql postgresql outcome= state= rows= exit=",
                    "post-expand expand db/changelog.sql postgresql outcome=applied 1 changeset(s) state= rows=0 exit=",
                    "pre-rollback rollback db/changelog.sql postgresql outcome= state= rows= exit=",
                    "post-rollback rollback db/changelog.sql postgresql outcome=rolled back 1 changeset(s) state= "
                            + "rows=0 exit=");
        }
    }

    /** A hook sees only its own TANDEM_ variables: not the URL, the user or the password this process was given. */
    @Test
    void aHookGetsTheRunsContextAndNoSecret() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Path hooks = Files.createDirectory(dir.resolve("hooks"));
            hook(hooks, "post-expand", "env | grep '^TANDEM_' | sort > " + dir.resolve("env"));
            Path output = dir.resolve("migrate.log");
            Process migrate = MigrateProcess.start(List.of(),
                    List.of("expand", Cli.example(dir, "add_column.yaml").toString()),
                    Map.of("TANDEM_URL", db.url() + "&password=hunter2", "TANDEM_PASSWORD", "hunter2",
                            "TANDEM_HOOKS", hooks.toString()),
                    ProcessBuilder.Redirect.to(output.toFile()));
            assertThat(migrate.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(migrate.exitValue()).as(Files.readString(output)).isZero();

            List<String> environment = Files.readAllLines(dir.resolve("env"));
            assertThat(environment).contains("TANDEM_HOOK=post-expand", "TANDEM_PHASE=expand",
                    "TANDEM_MIGRATION=add_display_name", "TANDEM_SCHEMA=public", "TANDEM_DATABASE_KIND=postgresql",
                    "TANDEM_OUTCOME=expanded", "TANDEM_STATE=expanded", "TANDEM_ROWS=0");
            assertThat(environment).anyMatch(line -> line.matches("TANDEM_STATEMENTS=[1-9][0-9]*"))
                    .anyMatch(line -> line.matches("TANDEM_ELAPSED_SECONDS=[0-9]+\\.[0-9]"));
            assertThat(environment).allSatisfy(line -> assertThat(line).doesNotContain("hunter2")
                    .doesNotStartWith("TANDEM_URL=").doesNotStartWith("TANDEM_PASSWORD=")
                    .doesNotStartWith("TANDEM_HOOKS="));
        }
    }

    @Test
    void onThrottleRunsWhenTheBackfillPausesAndRollbackHasItsHooks() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Path hooks = everyHook(List.of("pre-rollback", "post-rollback"));
            hook(hooks, "on-throttle", "echo \"$TANDEM_HOOK $TANDEM_PHASE $TANDEM_MIGRATION $TANDEM_TABLE: "
                    + "$TANDEM_THROTTLE_REASON\" >> " + log());
            Cli cli = new Cli(List.of("--url", db.url(), "--hooks", hooks.toString()));
            assertThat(cli.run("expand", Cli.example(dir, "add_column.yaml").toString()).exitCode()).isZero();
            try (BusySessions busy = new BusySessions(db, 2)) {
                Cli.Result backfill = cli.run("backfill", "--max-active-sessions", "1");
                assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
            }
            Cli.Result rollback = cli.run("rollback");
            assertThat(rollback.exitCode()).as(rollback.toString()).isZero();

            assertThat(Files.readAllLines(log())).containsExactly(
                    "on-throttle backfill add_display_name customers: 2 active sessions, more than the limit of 1",
                    "pre-rollback rollback add_display_name postgresql outcome= state= rows= exit=",
                    "post-rollback rollback add_display_name postgresql outcome=rolled back state=rolled_back "
                            + "rows=0 exit=");
        }
    }

    /** migrations-examples/hooks/notify-slack, linked as a post-expand hook, posts a line to the webhook. */
    @Test
    void theSlackExampleAnnouncesAPhase() throws Exception {
        try (TestDatabase db = TestDatabase.create(); HttpRecorder slack = new HttpRecorder()) {
            db.execute(Examples.shop());
            Path hooks = Files.createDirectory(dir.resolve("hooks"));
            Path link = Files.createSymbolicLink(hooks.resolve("post-expand.slack"),
                    Path.of("../migrations-examples/hooks/notify-slack").toAbsolutePath());
            Path output = dir.resolve("migrate.log");
            Process migrate = MigrateProcess.start(List.of(),
                    List.of("expand", Cli.example(dir, "add_column.yaml").toString(), "--url", db.url(),
                            "--hooks", hooks.toString()),
                    Map.of("SLACK_WEBHOOK_URL", slack.url() + "/services/T000/B000/XXXX"),
                    ProcessBuilder.Redirect.to(output.toFile()));
            assertThat(migrate.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(migrate.exitValue()).as(Files.readString(output)).isZero();

            HttpRecorder.Request posted = slack.only();
            assertThat(posted.method()).isEqualTo("POST");
            assertThat(posted.path()).isEqualTo("/services/T000/B000/XXXX");
            assertThat(posted.contentType()).isEqualTo("application/json");
            assertThat(posted.body()).startsWith("{\"text\":\":white_check_mark: expand of add_display_name on "
                    + "postgresql schema public: expanded, now expanded (0 rows, ").endsWith(" s)\"}");
            Files.delete(link); // not what it points to
        }
    }

    @Test
    void postgresStopsAtAFailingPreHookAndContinuesOnceItPasses() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            stopsAtAFailingPreHookAndContinuesOnceItPasses(List.of("--url", db.url()),
                    Cli.example(dir, "add_column.yaml"), "postgresql", db::value);
            assertThat(db.value("SELECT count(*) FROM customers WHERE display_name = first_name || ' ' || last_name"))
                    .isEqualTo("200");
        }
    }

    @Test
    void mariaDbStopsAtAFailingPreHookAndContinuesOnceItPasses() throws IOException {
        try (MariaDbTestDatabase db = MariaDbTestDatabase.create()) {
            db.execute(Examples.schema("shop-mariadb.sql"));
            Path migration = Files.writeString(dir.resolve("add_display_name.yaml"), "name: add_display_name\n"
                    + "operations:\n  - add_column: {table: customers, column: {name: display_name, type: "
                    + "varchar(120)}, up: \"CONCAT(first_name, ' ', last_name)\"}\n");
            stopsAtAFailingPreHookAndContinuesOnceItPasses(List.of("--url", db.url(db.name())), migration, "mariadb",
                    db::value);
            assertThat(db.value("SELECT count(*) FROM customers WHERE display_name IS NULL")).isEqualTo("0");
        }
    }

    /**
     * Expand; backfill refused by its pre- hook (exit 1), then by nothing; contract refused by a pre- hook that
     * hangs past --hook-timeout, then done. Each refusal changes nothing and calls on-failure with exit code 6.
     */
    private void stopsAtAFailingPreHookAndContinuesOnceItPasses(List<String> url, Path migration, String kind,
                                                                Query db) throws IOException {
        Path hooks = everyHook(List.of("on-failure"));
        List<String> options = new ArrayList<>(url);
        options.addAll(List.of("--hooks", hooks.toString(), "--hook-timeout", "2"));
        Cli cli = new Cli(options);
        Cli status = new Cli(url);
        assertThat(cli.run("expand", migration.toString()).exitCode()).isZero();

        hook(hooks, "pre-backfill", "echo replica lag too high\nexit 1");
        Cli.Result refused = cli.run("backfill");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.HOOK);
        assertThat(refused.err()).contains("hook pre-backfill: replica lag too high",
                "migrate backfill: hook pre-backfill exited with 1; backfill did not start and nothing was changed");
        assertThat(status.run("status").out()).contains("backfill pending: customers");
        assertThat(db.value("SELECT count(*) FROM customers WHERE display_name IS NOT NULL")).isEqualTo("0");

        hook(hooks, "pre-backfill", "exit 0");
        Cli.Result backfill = cli.run("backfill");
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();

        hook(hooks, "pre-contract", "sleep 30");
        long start = System.nanoTime();
        Cli.Result hanging = cli.run("contract");
        assertThat(hanging.exitCode()).as(hanging.toString()).isEqualTo(ExitCodes.HOOK);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
        assertThat(hanging.err()).contains("hook pre-contract timed out after 2 s (--hook-timeout) and was killed; "
                + "contract did not start");
        assertThat(status.run("status").out()).contains("add_display_name: expanded");

        hook(hooks, "pre-contract", "exit 0");
        Cli.Result contract = cli.run("contract");
        assertThat(contract.exitCode()).as(contract.toString()).isZero();
        assertThat(status.run("status").out()).contains("add_display_name: complete");
        assertThat(Files.readAllLines(log())).containsExactly(
                "on-failure backfill add_display_name " + kind + " outcome=failed state= rows= exit=6",
                "on-failure contract add_display_name " + kind + " outcome=failed state= rows= exit=6");
    }

    @FunctionalInterface
    private interface Query {
        String value(String sql);
    }

    /** A hooks directory where each of {@code names} appends a line about its call to {@link #log()}. */
    private Path everyHook(List<String> names) throws IOException {
        Path hooks = Files.createDirectories(dir.resolve("hooks"));
        for (String name : names) {
            hook(hooks, name, EVERY_HOOK + log());
        }
        return hooks;
    }

    private Path log() {
        return dir.resolve("hooks.log");
    }

    private static void hook(Path hooks, String name, String body) throws IOException {
        Path hook = hooks.resolve(name);
        Files.writeString(hook, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
