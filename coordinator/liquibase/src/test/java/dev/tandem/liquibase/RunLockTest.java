package dev.tandem.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A changelog's phase waits for Tandem's run lock and gives up on table locks after Tandem's lock_timeout. */
final class RunLockTest {
    private static final String CREATE = String.join("\n", "--liquibase formatted sql", "",
            "--changeset t:1 labels:expand", "CREATE TABLE item (id int PRIMARY KEY);", "");
    private static final String ADD_COLUMN = String.join("\n", "--changeset t:2 labels:expand",
            "ALTER TABLE item ADD COLUMN label text;", "");

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TempDir
    Path dir;

    @Test
    void refusesWhileAnotherTandemRunHoldsTheSchema() throws Exception {
        Changelog changelog = Changelog.file(Files.writeString(dir.resolve("changelog.sql"), CREATE));
        LiquibasePhases phases = new LiquibasePhases(db.tandem(TandemConfig.builder()
                .runLockWait(Duration.ZERO).build()));

        db.tandem().underRunLock((connection, dialect) -> {
            assertThatThrownBy(() -> phases.run(ChangelogPhase.EXPAND, changelog))
                    .isInstanceOf(StateConflictException.class)
                    .hasMessageContaining("another Tandem run holds the lock on schema 'public'");
            return null;
        });
        assertThat(db.value("SELECT to_regclass('public.item') IS NULL")).isEqualTo("t");
    }

    @Test
    void givesUpOnABlockedChangesetAfterTheLockRetriesAndContinuesLater() throws Exception {
        Path file = Files.writeString(dir.resolve("changelog.sql"), CREATE);
        LiquibasePhases phases = new LiquibasePhases(db.tandem(TandemConfig.builder()
                .lockTimeout(Duration.ofMillis(50)).lockRetries(1).build()));
        phases.run(ChangelogPhase.EXPAND, Changelog.file(file));
        Files.writeString(file, CREATE + "\n" + ADD_COLUMN);

        try (Connection reader = db.connect(); Statement s = reader.createStatement()) {
            reader.setAutoCommit(false);
            s.execute("SELECT * FROM item");
            assertThatThrownBy(() -> phases.run(ChangelogPhase.EXPAND, Changelog.file(file)))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("changelog.sql: expand could not take a lock within 50 ms, 2 attempt(s)")
                    .hasMessageContaining("run migrate expand again once the blocker is gone");
            reader.rollback();
        }

        assertThat(phases.run(ChangelogPhase.EXPAND, Changelog.file(file)).applied())
                .containsExactly("changelog.sql::2::t");
    }
}
