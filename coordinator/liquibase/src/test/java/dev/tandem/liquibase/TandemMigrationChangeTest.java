package dev.tandem.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.testing.TestDatabase;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shop change with {@code liquibase update} as the entry point: {@code <tandem:migration/>} runs the Tandem
 * migration's phase named by each changeset's label, and the result matches the phase-labelled changelog's.
 */
final class TandemMigrationChangeTest {
    private static final Changelog TANDEM_SHOP = Changelog.classpath("liquibase/shop-tandem-changelog.xml");
    private static final Changelog SHOP = Changelog.classpath("liquibase/shop-changelog.xml");
    private static final String NEW_VERSION = "public_shop_customer_name, public";
    private static final String CUSTOMERS = "SELECT id, name, email FROM public.customer ORDER BY id";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @RegisterExtension
    final TestDatabase labelled = TestDatabase.perTest();

    @TempDir
    Path dir;

    @Test
    void runsEachPhaseInsideLiquibaseUpdateWithBothVersionsAtWork() throws Exception {
        PlainLiquibase.update(db, TANDEM_SHOP, PlainLiquibase.HISTORY_ONLY);

        PlainLiquibase.update(db, TANDEM_SHOP, "expand");

        writeWithBothVersions(db, NEW_VERSION);
        assertThat(db.rows(NEW_VERSION, "SELECT name FROM customer WHERE id = 1")).containsExactly("Ada King");
        assertThat(db.rows(NEW_VERSION, "SELECT name, length(email) FROM customer WHERE id IN (4, 5) ORDER BY id"))
                .containsExactly("Old Version|15", "New Version|212");
        assertThat(db.rows("public", "SELECT full_name, length(email) FROM customer WHERE id = 5"))
                .containsExactly("New Version|100");

        PlainLiquibase.update(db, TANDEM_SHOP, "backfill");
        PlainLiquibase.update(db, TANDEM_SHOP, "contract");

        db.executeIn(NEW_VERSION, "INSERT INTO customer (name) VALUES ('Only New')");
        assertThat(db.value("SELECT name || '|' || phase FROM tandem.migrations"))
                .isEqualTo("shop_customer_name|complete");
        assertThat(db.rows("SELECT id FROM databasechangelog WHERE labels IS NOT NULL ORDER BY orderexecuted"))
                .containsExactly("4-customer-name-expand", "5-customer-name-backfill", "6-customer-name-contract");
        labelledChangelog();
        try (CatalogComparison tandemWay = CatalogComparison.open(db.pool(), "public");
             CatalogComparison labelledWay = CatalogComparison.open(labelled.pool(), "public")) {
            // the one difference: the labelled changelog adds name at the end, Tandem renames full_name in place
            assertThat(labelledWay.differences(labelledWay.snapshot(), tandemWay.snapshot())).containsExactly(
                    "changed column public.customer.email: order was 2, is 3",
                    "changed column public.customer.name: order was 3, is 2");
        }
        assertThat(db.rows(CUSTOMERS)).hasSize(6).containsExactlyElementsOf(labelled.rows(CUSTOMERS));
    }

    @Test
    void isAChangeOfYamlChangelogsTooAndItsChecksumCoversTheMigrationFile() throws Exception {
        for (String file : List.of("tandem-migration.yaml", "item_note.yaml")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("changelogs/" + file)) {
                Files.write(dir.resolve(file), in.readAllBytes());
            }
        }
        Changelog changelog = Changelog.file(dir.resolve("tandem-migration.yaml"));
        PlainLiquibase.update(db, changelog, "expand");

        db.executeIn("public_item_note, public", "INSERT INTO item (id, note) VALUES (1, 'new version')");
        assertThat(db.value("SELECT name || '|' || phase FROM tandem.migrations")).isEqualTo("item_note|expanded");

        Files.writeString(dir.resolve("item_note.yaml"), Files.readString(dir.resolve("item_note.yaml"))
                .replace("type: text", "type: varchar(10)"));
        assertThatThrownBy(() -> PlainLiquibase.update(db, changelog, "expand"))
                .hasStackTraceContaining("tandem-migration.yaml::2::t was:");
    }

    @Test
    void failsTheChangesetWithTandemsMessage() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("changelogs/item_note.yaml")) {
            Files.write(dir.resolve("item_note.yaml"), in.readAllBytes());
        }
        Path file = Files.writeString(dir.resolve("changelog.yaml"), String.join("\n", "databaseChangeLog:",
                "  - changeSet:", "      id: note", "      author: t", "      labels: expand",
                "      runInTransaction: false", "      changes:", "        - migration: {file: item_note.yaml}", ""));

        assertThatThrownBy(() -> PlainLiquibase.update(db, Changelog.file(file), "expand"))
                .hasStackTraceContaining("InvalidMigrationException: item_note.yaml: operation 1 (add_column)");
        assertThat(db.value("SELECT count(*) FROM databasechangelog")).isEqualTo("0");
    }

    /** The same statements on the same project run through the phase-labelled changelog by LiquibasePhases. */
    private void labelledChangelog() throws Exception {
        PlainLiquibase.update(labelled, SHOP, PlainLiquibase.HISTORY_ONLY);
        LiquibasePhases phases = new LiquibasePhases(labelled.tandem());
        phases.run(ChangelogPhase.EXPAND, SHOP);
        writeWithBothVersions(labelled, "public");
        phases.run(ChangelogPhase.BACKFILL, SHOP);
        phases.run(ChangelogPhase.CONTRACT, SHOP);
        labelled.execute("INSERT INTO customer (name) VALUES ('Only New')");
    }

    private static void writeWithBothVersions(TestDatabase db, String newVersion) {
        db.executeIn("public", "INSERT INTO customer (full_name, email) VALUES ('Old Version', 'old@example.com')");
        db.executeIn(newVersion, "INSERT INTO customer (name, email) VALUES ('New Version', '" + "n".repeat(200)
                + "@example.com')");
        db.executeIn("public", "UPDATE customer SET full_name = 'Ada King' WHERE id = 1");
    }
}
