package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.coordinator.Tandem;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code migrate up|expand|backfill|contract|status DIR} over the three migrations of migrations-examples'
 * {@code directories/shop}, on PostgreSQL and MariaDB.
 */
@ParameterizedClass
@EnumSource(ExampleShop.Server.class)
class MigrateDirectoryTest {
    private static final List<String> FILES = List.of("001_add_display_name.yaml", "002_orders_status_index.yaml",
            "003_gift_note.yaml");
    private static final String FIRST = "shop_display_name";
    private static final String SECOND = "shop_orders_status_index";
    private static final String THIRD = "shop_gift_note";

    @Parameter
    ExampleShop.Server server;
    @TempDir
    Path tmp;

    private ExampleShop example;
    private Cli cli;
    private String schema;
    private DataSource pool;
    private Path dir;
    private String shop;

    @BeforeEach
    void createDatabase() {
        example = ExampleShop.on(server);
        cli = example.cli;
        schema = example.schema;
        pool = example.pool;
        dir = ExampleShop.directory(tmp, "shop", FILES);
        shop = dir.toString();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        example.close();
    }

    private Cli.Result ok(String... args) {
        Cli.Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    private Cli.Result refused(int exitCode, String... args) {
        Cli.Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        return result;
    }

    /** Each file's state in {@code status DIR --output json}, as "name state[ phase]". */
    private List<String> states() {
        List<String> states = new ArrayList<>();
        for (JsonNode file : ok("status", shop, "--output", "json").json().get("migrations")) {
            states.add(file.get("name").asText() + " " + file.get("state").asText()
                    + (file.get("state").asText().equals("in_flight") ? " " + file.get("phase").asText() : ""));
        }
        return states;
    }

    /** The migrations the state records, oldest first. */
    private List<String> recorded() {
        List<String> names = new ArrayList<>();
        ok("status", "--output", "json").json().get("migrations").forEach(m -> names.add(m.get("name").asText()));
        return names;
    }

    @Test
    void upThroughContractAppliesEveryMigrationInOrderAndARerunDoesNothing() {
        Cli.Result up = ok("up", shop, "--through", "contract");
        assertThat(phases(up)).containsExactly(
                FIRST + ": expanded; phase expanded",
                FIRST + ": backfilled (200 rows); phase expanded",
                FIRST + ": contracted; phase complete",
                SECOND + ": expanded; phase expanded",
                SECOND + ": contracted; phase complete",
                THIRD + ": expanded; phase expanded",
                THIRD + ": contracted; phase complete");
        assertThat(recorded()).containsExactly(FIRST, SECOND, THIRD);
        assertThat(states()).containsExactly(FIRST + " applied", SECOND + " applied", THIRD + " applied");

        Cli.Result again = ok("up", shop);
        assertThat(again.out()).isEqualTo(shop + ": nothing pending\n");
        assertThat(ok("up", shop, "--output", "json").json().get("outcome").asText()).isEqualTo("nothing pending");
        assertThat(ok("expand", shop).out()).isEqualTo(shop + ": nothing pending\n");
        assertThat(ok("contract", shop).out()).startsWith(THIRD + ": already complete");
    }

    /** The phases a run printed, without their statement counts, which differ between the databases. */
    private static List<String> phases(Cli.Result result) {
        return result.out().lines().map(line -> line.replaceFirst(" \\(\\d+ statements\\)", "")).toList();
    }

    @Test
    void toStopsAfterTheMigrationItNamesAndThroughExpandAfterTheNextExpand() {
        ok("up", shop, "--to", SECOND);
        assertThat(states()).containsExactly(FIRST + " applied", SECOND + " applied", THIRD + " pending");

        List<JsonNode> lines = ok("up", shop, "--through", "expand", "--output", "json").jsonLines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("migration").asText()).isEqualTo(THIRD);
        assertThat(lines.get(0).get("outcome").asText()).isEqualTo("expanded");
        assertThat(states()).containsExactly(FIRST + " applied", SECOND + " applied", THIRD + " in_flight expanded");
        assertThat(ok("up", shop, "--through", "expand").out()).isEqualTo(shop + ": nothing pending\n");

        Cli.Result unknown = refused(ExitCodes.BAD_INPUT, "up", shop, "--to", "nowhere");
        assertThat(unknown.err()).contains("--to names 'nowhere', which is no migration of the directory ("
                + FIRST + ", " + SECOND + ", " + THIRD + ")");
    }

    @Test
    void expandOfADirectoryStacksTheNextPendingOneOnThoseInFlight() {
        assertThat(ok("expand", shop).out()).startsWith(FIRST + ": expanded");
        assertThat(ok("expand", shop).out()).startsWith(SECOND + ": expanded");
        assertThat(states()).containsExactly(FIRST + " in_flight expanded", SECOND + " in_flight expanded",
                THIRD + " pending");

        assertThat(ok("backfill", shop).out()).startsWith(FIRST + ": backfilled (200 rows)");
        assertThat(ok("contract", shop).out()).startsWith(FIRST + ": contracted");
        assertThat(states()).containsExactly(FIRST + " applied", SECOND + " in_flight expanded", THIRD + " pending");
    }

    @Test
    void stackedMigrationsOnATableInCommonRollBackTopFirstAndContractBottomFirstOrCascade() {
        ok("expand", shop);
        ok("expand", shop);
        ok("expand", shop);
        Cli.Result refused = refused(ExitCodes.STATE_CONFLICT, "rollback", SECOND, "--force");
        assertThat(refused.err()).contains("migration '" + THIRD + "' is stacked on '" + SECOND + "' and changes "
                + "table orders as well: roll back '" + THIRD + "' first");
        assertThat(ok("rollback", SECOND, "--force", "--cascade").out()).contains(SECOND + ": rolled back");
        assertThat(states()).containsExactly(FIRST + " in_flight expanded", SECOND + " pending", THIRD + " pending");

        ok("expand", shop);
        ok("expand", shop);
        assertThat(refused(ExitCodes.STATE_CONFLICT, "contract", THIRD, "--force").err()).contains("contract '"
                + SECOND + "' first");
        assertThat(ok("contract", THIRD, "--force", "--cascade").out()).contains(THIRD + ": contracted");
        // the first shares no table with them: it was left alone, and contracts now
        assertThat(states()).containsExactly(FIRST + " in_flight expanded", SECOND + " applied", THIRD + " applied");
        ok("backfill", FIRST);
        assertThat(ok("contract", FIRST, "--force").out()).contains(FIRST + ": contracted");
    }

    @Test
    void anEditedAppliedFileIsRefusedNamingItAndTheRecordedChecksum() throws IOException {
        ok("up", shop, "--to", FIRST);
        String recordedChecksum = ok("status", shop, "--output", "json").json().at("/migrations/0/checksum").asText();
        Path first = dir.resolve(FILES.get(0));
        Files.writeString(first, Files.readString(first).replace("varchar(100)", "varchar(120)"));

        Cli.Result up = refused(ExitCodes.STATE_CONFLICT, "up", shop);
        assertThat(up.err()).contains(shop + "/001_add_display_name.yaml: migration '" + FIRST + "' is complete "
                + "from a file with checksum " + recordedChecksum + ", and the file now has ");
        assertThat(refused(ExitCodes.STATE_CONFLICT, "expand", shop).err()).contains("001_add_display_name.yaml");
        assertThat(recorded()).containsExactly(FIRST);

        JsonNode edited = ok("status", shop, "--output", "json").json().at("/migrations/0");
        assertThat(edited.get("state").asText()).isEqualTo("edited");
        assertThat(edited.get("recorded_checksum").asText()).isEqualTo(recordedChecksum);
        assertThat(ok("status", shop).out()).contains(FIRST + ": edited: complete from a file with checksum "
                + recordedChecksum + ", the file now has ");
    }

    @Test
    void afterOrdersAMigrationBehindTheOneItNames() throws IOException {
        Path second = dir.resolve(FILES.get(1));
        Files.writeString(second, "after: " + THIRD + "\n" + Files.readString(second));
        ok("up", shop);
        assertThat(recorded()).containsExactly(FIRST, THIRD, SECOND);
        assertThat(states()).containsExactly(FIRST + " applied", THIRD + " applied", SECOND + " applied");
    }

    @Test
    void aCycleOrAnUnknownAfterIsRefusedBeforeAnythingRuns() throws IOException {
        Path second = dir.resolve(FILES.get(1));
        Path third = dir.resolve(FILES.get(2));
        String secondText = Files.readString(second);
        Files.writeString(second, "after: " + THIRD + "\n" + secondText);
        Files.writeString(third, "after: " + SECOND + "\n" + Files.readString(third));
        assertThat(refused(ExitCodes.BAD_INPUT, "up", shop).err()).contains(shop + ": the 'after' keys of "
                + "002_orders_status_index.yaml (after " + THIRD + "), 003_gift_note.yaml (after " + SECOND
                + ") form a cycle");

        Files.writeString(second, "after: nowhere\n" + secondText);
        assertThat(refused(ExitCodes.BAD_INPUT, "expand", shop).err()).contains(shop + ": 002_orders_status_index"
                + ".yaml: 'after' names 'nowhere', which is no migration of the directory");
        assertThat(ok("status", "--output", "json").json().get("migrations")).isEmpty();
    }

    @Test
    void statusOfADirectoryShowsEachFileInTextAndJson() {
        ok("up", shop, "--to", FIRST);
        ok("expand", shop);
        String text = ok("status", shop).out();
        assertThat(text).isEqualTo(shop + " on schema " + schema + ":\n"
                + "  001_add_display_name.yaml     " + FIRST + ": applied\n"
                + "  002_orders_status_index.yaml  " + SECOND + ": in flight, expanded, backfill done\n"
                + "  003_gift_note.yaml            " + THIRD + ": pending\n");

        JsonNode json = ok("status", shop, "--output", "json").json();
        assertThat(json.get("schema").asText()).isEqualTo(schema);
        assertThat(json.get("directory").asText()).isEqualTo(shop);
        JsonNode inFlight = json.at("/migrations/1");
        assertThat(inFlight.get("file").asText()).isEqualTo("002_orders_status_index.yaml");
        assertThat(inFlight.get("state").asText()).isEqualTo("in_flight");
        assertThat(inFlight.get("phase").asText()).isEqualTo("expanded");
        assertThat(inFlight.get("backfill_complete").asBoolean()).isTrue();
        assertThat(json.at("/migrations/2/state").asText()).isEqualTo("pending");
        assertThat(json.get("missing")).isEmpty();
    }

    @Test
    void aRecordedMigrationMissingFromTheDirectoryIsReportedAndRefusedWithStrict() throws IOException {
        ok("up", shop, "--to", FIRST);
        Files.delete(dir.resolve(FILES.get(0)));
        Cli.Result status = ok("status", shop);
        assertThat(status.out()).endsWith("recorded, but in no file of the directory: " + FIRST + "\n");
        assertThat(ok("status", shop, "--output", "json").json().at("/missing/0").asText()).isEqualTo(FIRST);

        assertThat(refused(ExitCodes.STATE_CONFLICT, "up", shop, "--strict").err()).contains("schema '" + schema
                + "' records migrations that no file of the directory holds: " + FIRST + " (--strict)");
        Cli.Result up = ok("up", shop);
        assertThat(up.err()).contains("note: schema '" + schema + "' records migrations that no file of " + shop
                + " holds: " + FIRST);
        assertThat(recorded()).containsExactly(FIRST, SECOND, THIRD);
    }

    @Test
    void upStoppedAtContractByALiveOldInstanceResumesWhenItIsGone() {
        try (InstanceRegistration old = PhaseGuard.builder(Tandem.BASE_VERSION).schema(schema).host("old-1").build()
                .start(pool)) {
            Cli.Result stopped = refused(ExitCodes.STATE_CONFLICT, "up", shop);
            assertThat(phases(stopped)).containsExactly(FIRST + ": expanded; phase expanded",
                    FIRST + ": backfilled (200 rows); phase expanded");
            assertThat(stopped.err()).contains("contract removes version 'base', and 1 instance(s) of it sent a "
                    + "heartbeat within the last 60 s: old-1");
            assertThat(states()).containsExactly(FIRST + " in_flight expanded", SECOND + " pending",
                    THIRD + " pending");
        }
        Cli.Result resumed = ok("up", shop);
        assertThat(resumed.out()).startsWith(FIRST + ": contracted");
        assertThat(states()).containsExactly(FIRST + " applied", SECOND + " applied", THIRD + " applied");
    }

    @Test
    void upRunsTheHooksOfEachPhaseOfEachMigration() throws IOException {
        Path hooks = Files.createDirectory(tmp.resolve("hooks"));
        Path log = tmp.resolve("hooks.log");
        for (String phase : List.of("expand", "backfill", "contract")) {
            for (String point : List.of("pre-", "post-")) {
                Path hook = Files.writeString(hooks.resolve(point + phase), "#!/bin/sh\necho \"$(basename \"$0\") "
                        + "$TANDEM_PHASE $TANDEM_MIGRATION\" >> " + log + "\n");
                hook.toFile().setExecutable(true);
            }
        }
        ok("up", shop, "--to", SECOND, "--hooks", hooks.toString());
        assertThat(Files.readAllLines(log)).containsExactly(
                "pre-expand expand " + FIRST, "post-expand expand " + FIRST,
                "pre-backfill backfill " + FIRST, "post-backfill backfill " + FIRST,
                "pre-contract contract " + FIRST, "post-contract contract " + FIRST,
                "pre-expand expand " + SECOND, "post-expand expand " + SECOND,
                "pre-contract contract " + SECOND, "post-contract contract " + SECOND);
    }
}
