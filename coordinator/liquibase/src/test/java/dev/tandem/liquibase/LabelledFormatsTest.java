package dev.tandem.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Phase labels in every changelog format Liquibase parses, and the changelogs Tandem refuses. */
final class LabelledFormatsTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"phases.xml", "phases.yaml", "phases.json", "phases.sql"})
    void runsEachPhaseOfEveryFormat(String file) {
        Changelog changelog = Changelog.classpath("changelogs/" + file);
        LiquibasePhases phases = new LiquibasePhases(db.tandem());

        assertThat(phases.run(ChangelogPhase.EXPAND, changelog).applied()).hasSize(1);
        assertThat(db.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'item'"
                + " ORDER BY ordinal_position")).containsExactly("id", "code", "label");
        assertThat(phases.run(ChangelogPhase.BACKFILL, changelog).applied()).hasSize(1);
        assertThat(phases.run(ChangelogPhase.CONTRACT, changelog).applied()).hasSize(1);

        assertThat(db.rows("SELECT * FROM item")).containsExactly("1|one");
        assertThat(db.rows("SELECT id || ':' || phase FROM tandem.liquibase_changesets ORDER BY id"))
                .containsExactly("1:expand", "2:backfill", "3:contract");
    }

    @Test
    void refusesAChangesetWithoutPhaseLabelBeforeApplyingAnything() {
        assertThatThrownBy(() -> new LiquibasePhases(db.tandem()).run(ChangelogPhase.EXPAND,
                Changelog.classpath("changelogs/unlabelled.yaml")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("changelogs/unlabelled.yaml::forgot-the-label::t has no phase label")
                .hasMessageContaining("nothing was applied");
        assertThat(db.value("SELECT to_regclass('public.item') IS NULL")).isEqualTo("t");
    }

    @Test
    void refusesAChangesetWithTwoPhaseLabels() {
        assertThatThrownBy(() -> new LiquibasePhases(db.tandem()).run(ChangelogPhase.EXPAND,
                Changelog.classpath("changelogs/double-labelled.sql")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("changelogs/double-labelled.sql::2::t has more than one phase label "
                        + "(expand, contract)");
        assertThat(db.value("SELECT to_regclass('public.item') IS NULL")).isEqualTo("t");
    }

    @Test
    void surfacesLiquibasesChecksumErrorWhenAnAppliedChangesetChanged() throws Exception {
        Path file = dir.resolve("changelog.sql");
        Files.writeString(file, String.join("\n", "--liquibase formatted sql", "",
                "--changeset t:1 labels:expand", "CREATE TABLE item (id int PRIMARY KEY);", "",
                "--changeset t:2 labels:backfill", "INSERT INTO item VALUES (1);", ""));
        LiquibasePhases phases = new LiquibasePhases(db.tandem());
        phases.run(ChangelogPhase.EXPAND, Changelog.file(file));
        Files.writeString(file, Files.readString(file).replace("id int PRIMARY KEY", "id bigint PRIMARY KEY"));

        assertThatThrownBy(() -> phases.run(ChangelogPhase.BACKFILL, Changelog.file(file)))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("changelog.sql: Liquibase refuses the changelog; nothing was applied")
                .hasMessageContaining("changelog.sql::1::t");
        assertThat(db.value("SELECT count(*) FROM item")).isEqualTo("0");
    }

    @Test
    void keepsTheChangesetsBeforeAFailingOneAndContinuesWithItOnceFixed() throws Exception {
        Path file = dir.resolve("changelog.sql");
        Files.writeString(file, String.join("\n", "--liquibase formatted sql", "",
                "--changeset t:1 labels:expand", "CREATE TABLE item (id int PRIMARY KEY);", "",
                "--changeset t:2 labels:expand", "ALTER TABLE itme ADD COLUMN label text;", ""));
        LiquibasePhases phases = new LiquibasePhases(db.tandem());

        assertThatThrownBy(() -> phases.run(ChangelogPhase.EXPAND, Changelog.file(file)))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("changelog.sql: expand failed: Migration failed for changeset changelog.sql::2::t")
                .hasMessageContaining("relation \"itme\" does not exist")
                .hasMessageContaining("The changesets applied before the failing one stay applied");
        assertThat(db.rows("SELECT id FROM databasechangelog")).containsExactly("1");

        Files.writeString(file, Files.readString(file).replace("itme", "item"));
        assertThat(phases.run(ChangelogPhase.EXPAND, Changelog.file(file)).applied())
                .containsExactly("changelog.sql::2::t");
    }
}
