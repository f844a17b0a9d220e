package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate expand|backfill|contract --changelog FILE} on a phase-labelled Liquibase changelog. */
class MigrateChangelogTest {
    private static final String CHANGELOG = String.join("\n", "--liquibase formatted sql", "",
            "--changeset shop:1 labels:expand", "CREATE TABLE item (id int PRIMARY KEY, code text, label text);", "",
            "--changeset shop:2 labels:backfill", "INSERT INTO item (id, label) VALUES (1, 'one');", "",
            "--changeset shop:3 labels:contract", "ALTER TABLE item DROP COLUMN code;", "");

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TempDir
    Path dir;

    @Test
    void runsEachPhaseOfAChangelogInOrder() throws Exception {
        Path changelog = Files.writeString(Files.createDirectories(dir.resolve("db")).resolve("changelog.sql"),
                CHANGELOG);
        Cli cli = new Cli(db);
        String[] options = {"--changelog", changelog.toString(), "--search-path", dir.toString()};

        Cli.Result expand = cli.run(with("expand", options));
        assertThat(expand.exitCode()).as(expand.toString()).isZero();
        assertThat(expand.out())
                .isEqualTo("db/changelog.sql: expand applied 1 changeset(s): db/changelog.sql::1::shop\n");

        Cli.Result early = cli.run(with("contract", options));
        assertThat(early.exitCode()).as(early.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
        assertThat(early.err()).contains("contract refused", "db/changelog.sql::2::shop (backfill)");

        assertThat(cli.run(with("backfill", options)).exitCode()).isZero();
        Cli.Result contract = cli.run(with("contract", options, "--output", "json"));
        assertThat(contract.exitCode()).as(contract.toString()).isZero();
        assertThat(contract.json().get("phase").asText()).isEqualTo("contract");
        assertThat(contract.json().get("applied").get(0).asText()).isEqualTo("db/changelog.sql::3::shop");
        assertThat(db.rows("SELECT * FROM item")).containsExactly("1|one");
    }

    @Test
    void expandNeedsEitherAMigrationFileOrAChangelog() throws Exception {
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), CHANGELOG);
        Cli cli = new Cli(db);

        Cli.Result neither = cli.run("expand");
        Cli.Result both = cli.run("expand", "x.yaml", "--changelog", changelog.toString());

        assertThat(neither.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(neither.err()).contains("name either a migration FILE or --changelog FILE");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(db.value("SELECT to_regclass('public.item') IS NULL")).isEqualTo("t");
    }

    @Test
    void baselineMarksTheUnlabelledHistoryOfAHandMadeDatabase() throws Exception {
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), String.join("\n",
                "--liquibase formatted sql", "", "--changeset shop:0", "CREATE TABLE item (id int PRIMARY KEY);", "",
                "--changeset shop:1 labels:expand", "ALTER TABLE item ADD COLUMN label text;", ""));
        db.execute("CREATE TABLE item (id int PRIMARY KEY)");
        Cli cli = new Cli(db);

        Cli.Result missing = cli.run("baseline");
        Cli.Result baseline = cli.run("baseline", "--changelog", changelog.toString());

        assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(baseline.exitCode()).as(baseline.toString()).isZero();
        assertThat(baseline.out()).isEqualTo("changelog.sql: baseline marked 1 changeset(s) as run: "
                + "changelog.sql::0::shop\n");
        assertThat(cli.run("expand", "--changelog", changelog.toString()).exitCode()).isZero();
    }

    @Test
    void verifyLintsTheChangelogAndPointsAtFileLineAndChangeset() throws Exception {
        Path changelog = Files.writeString(Files.createDirectories(dir.resolve("db")).resolve("changelog.sql"),
                String.join("\n", "--liquibase formatted sql", "", "--changeset shop:0",
                        "CREATE TABLE item (id bigint PRIMARY KEY, code text);", "",
                        "--changeset shop:1 labels:expand", "ALTER TABLE item DROP COLUMN code;", "",
                        "--changeset shop:2", "ALTER TABLE item ADD COLUMN note text;", ""));

        Cli.Result result = Cli.runRaw("verify", "--changelog", changelog.toString(), "--output", "json");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(result.json().path("findings")).extracting(f -> f.path("rule_id").asText() + " "
                + f.path("file").asText() + ":" + f.path("line").asInt() + " " + f.path("operation").asText())
                .containsExactly("TDM118 " + changelog.normalize() + ":6 changeset 1::shop (sql)",
                        "TDM109 " + changelog.normalize() + ":6 changeset 1::shop (sql)",
                        "TDM401 " + changelog.normalize() + ":9 changeset 2::shop");
    }

    @Test
    void verifyPassesTheSampleProjectAndRefusesPathsBesideAChangelog() {
        String sample = "../migrations-examples/src/main/resources/liquibase/shop-changelog.xml";

        Cli.Result clean = Cli.runRaw("verify", "--changelog", sample, "--no-database");
        Cli.Result both = Cli.runRaw("verify", "x.yaml", "--changelog", sample);
        Cli.Result missing = Cli.runRaw("verify", "--changelog", "no-such-changelog.xml");

        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("1 checks, 0 failed, 0 findings");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(both.err()).contains("name either migration PATHs or --changelog FILE");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("no-such-changelog.xml: no such changelog file");
    }

    @Test
    void statusShowsEachChangesetAndRollbackUndoesExpandAndBackfillUntilContract() throws Exception {
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), String.join("\n",
                "--liquibase formatted sql", "", "--changeset shop:0", "CREATE TABLE item (id bigint PRIMARY KEY);", "",
                "--changeset shop:1 labels:expand", "ALTER TABLE item ADD COLUMN label text;",
                "--rollback ALTER TABLE item DROP COLUMN label;", "",
                "--changeset shop:2 labels:backfill", "UPDATE item SET label = 'none' WHERE label IS NULL;",
                "--rollback empty", "",
                "--changeset shop:3 labels:contract", "ALTER TABLE item ALTER COLUMN label SET DEFAULT 'none';", ""));
        db.execute("CREATE TABLE item (id bigint PRIMARY KEY)");
        Cli cli = new Cli(db);
        String file = changelog.toString();
        assertThat(cli.run("baseline", "--changelog", file).exitCode()).isZero();
        assertThat(cli.run("expand", "--changelog", file).exitCode()).isZero();
        assertThat(cli.run("backfill", "--changelog", file).exitCode()).isZero();

        Cli.Result status = cli.run("status", "--changelog", file);
        Cli.Result rollback = cli.run("rollback", "--changelog", file);

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).isEqualTo(String.join("\n", "changelog.sql: Tandem's phase backfilled",
                "  changelog.sql::0::shop  (history)  applied",
                "  changelog.sql::1::shop  expand  applied  recorded by Tandem as expand",
                "  changelog.sql::2::shop  backfill  applied  recorded by Tandem as backfill",
                "  changelog.sql::3::shop  contract  pending", ""));
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).isEqualTo("changelog.sql: rollback undid 2 changeset(s): changelog.sql::1::shop, "
                + "changelog.sql::2::shop\n");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'item'"))
                .isEqualTo("1");
        Cli.Result after = cli.run("status", "--changelog", file, "--output", "json");
        assertThat(after.json().path("tandem_phase").asText()).isEqualTo("rolled back");

        for (String phase : List.of("expand", "backfill", "contract")) {
            assertThat(cli.run(phase, "--changelog", file).exitCode()).isZero();
        }
        Cli.Result refused = cli.run("rollback", "--changelog", file);
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.STATE_CONFLICT);
        assertThat(refused.err()).contains("rollback refused: contract changesets ran (changelog.sql::3::shop)");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'item'"))
                .isEqualTo("2");
    }

    @Test
    void verifyRunsTheChangelogsRoundTripOnAScratchDatabase() throws Exception {
        Path setup = Files.writeString(dir.resolve("schema.sql"), "CREATE TABLE item (id bigint PRIMARY KEY);\n");
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), String.join("\n",
                "--liquibase formatted sql", "", "--changeset shop:0", "CREATE TABLE item (id bigint PRIMARY KEY);", "",
                "--changeset shop:1 labels:expand", "SET LOCAL statement_timeout = '1min';",
                "ALTER TABLE item ADD COLUMN label text;", "CREATE TABLE item_audit (id bigint PRIMARY KEY);",
                "--rollback ALTER TABLE item DROP COLUMN label;",
                ""));
        String server = System.getenv().getOrDefault("TANDEM_PG_URL", TestDatabase.DEFAULT_URL);

        Cli.Result sample = Cli.runRaw("verify", "--changelog",
                "../migrations-examples/src/main/resources/liquibase/shop-changelog.xml", "--url", server);
        Cli.Result leaky = Cli.runRaw("verify", "--changelog", changelog.toString(), "--schema-sql", setup.toString(),
                "--url", server, "--output", "json");

        assertThat(sample.exitCode()).as(sample.toString()).isZero();
        assertThat(sample.out()).contains("2 checks, 0 failed, 0 findings");
        assertThat(leaky.exitCode()).as(leaky.toString()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(leaky.json().path("findings")).extracting(f -> f.path("rule_id").asText() + " "
                + f.path("message").asText()).singleElement().asString()
                .startsWith("TDM301 after rollback: ").contains("left behind table item_audit");
    }

    private static String[] with(String command, String[] options, String... more) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(options));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
