package dev.tandem.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationDirectoryTest {
    @TempDir
    Path dir;

    private void write(String file, String name, String after) throws IOException {
        Files.writeString(dir.resolve(file), "name: " + name + "\n" + (after == null ? "" : "after: " + after + "\n")
                + "operations:\n  - sql:\n      phase: contract\n      sql: SELECT 1\n");
    }

    private List<String> order() {
        return MigrationDirectory.read(dir).migrations().stream().map(Migration::name).toList();
    }

    @Test
    void migrationsComeInFileNameOrder() throws IOException {
        write("002_b.yaml", "b", null);
        write("001_a.yml", "a", null);
        write("010_c.json", "c", null);
        Files.writeString(dir.resolve("010_c.json"), "{\"name\": \"c\", \"operations\": [{\"sql\": "
                + "{\"phase\": \"contract\", \"sql\": \"SELECT 1\"}}]}");
        Files.writeString(dir.resolve("README.md"), "not a migration");
        assertThat(order()).containsExactly("a", "b", "c");
        assertThat(MigrationDirectory.read(dir).migrations().get(0).source()).isEqualTo("001_a.yml");
    }

    @Test
    void afterPlacesAMigrationBehindTheOneItNames() throws IOException {
        write("001_a.yaml", "a", null);
        write("002_b.yaml", "b", "c");
        write("003_c.yaml", "c", null);
        write("004_d.yaml", "d", "a");
        assertThat(order()).containsExactly("a", "c", "b", "d");
        assertThat(MigrationDirectory.read(dir).find("b").orElseThrow().after()).isEqualTo("c");
    }

    @Test
    void anAfterNamingNoMigrationOfTheDirectoryIsRefused() throws IOException {
        write("001_a.yaml", "a", null);
        write("002_b.yaml", "b", "nowhere");
        assertThatThrownBy(this::order).isInstanceOf(InvalidMigrationException.class)
                .hasMessage(dir + ": 002_b.yaml: 'after' names 'nowhere', which is no migration of the directory");
    }

    @Test
    void aCycleOfAfterKeysIsRefusedNamingItsFiles() throws IOException {
        write("001_a.yaml", "a", null);
        write("002_b.yaml", "b", "c");
        write("003_c.yaml", "c", "b");
        assertThatThrownBy(this::order).isInstanceOf(InvalidMigrationException.class)
                .hasMessage(dir + ": the 'after' keys of 002_b.yaml (after c), 003_c.yaml (after b) form a cycle; "
                        + "none of them can come first");
    }

    @Test
    void twoFilesWithOneMigrationNameAreRefused() throws IOException {
        write("001_a.yaml", "a", null);
        write("002_a_again.yaml", "a", null);
        assertThatThrownBy(this::order).isInstanceOf(InvalidMigrationException.class)
                .hasMessage(dir + ": 001_a.yaml and 002_a_again.yaml both hold migration 'a'; each migration needs a "
                        + "name of its own");
    }

    @Test
    void afterIsCheckedLikeAName() throws IOException {
        write("001_a.yaml", "a", "a");
        assertThatThrownBy(this::order).isInstanceOf(InvalidMigrationException.class)
                .hasMessage("001_a.yaml: 'after' names the migration itself, 'a' (line 2)");
        write("001_a.yaml", "a", "'not a name'");
        assertThatThrownBy(this::order).isInstanceOf(InvalidMigrationException.class)
                .hasMessageStartingWith("001_a.yaml: 'after' 'not a name' ");
    }

    @Test
    void anEmptyOrMissingDirectoryIsRefused() {
        assertThatThrownBy(this::order).isInstanceOf(InvalidMigrationException.class)
                .hasMessage(dir + ": no migration files (.yaml, .yml, .json)");
        assertThatThrownBy(() -> MigrationDirectory.read(dir.resolve("none"))).isInstanceOf(
                InvalidMigrationException.class).hasMessage(dir.resolve("none") + ": no such directory");
    }
}
