package dev.tandem.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.TestTemplate;

/** The README's example, the demo's migration and the portable example run the whole cycle on both databases. */
@BothDatabases
class PortableExamplesTest {

    @TestTemplate
    void theDemosMigration(OnDatabase on) throws Exception {
        Migration demo = Examples.migration("demo.yaml");
        assertThat(demo.portability().describe()).isEqualTo("runs on: PostgreSQL, MariaDB");
        on.postgres(pg -> Cycle.onShop(pg).migration(demo).afterContract((db, v) -> {
            assertThat(db.rows("SELECT price_cents FROM products WHERE id IN (1, 2) ORDER BY id")).containsExactly("125", "250");
            assertThat(db.value("SELECT display_name FROM customers WHERE id = 7")).isEqualTo("First7 Last7");
        }).run());
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration(demo).afterContract((db, v) -> {
            assertThat(db.rows("SELECT price_cents FROM products WHERE id IN (1, 2) ORDER BY id")).containsExactly("125", "250");
            assertThat(db.value("SELECT display_name FROM customers WHERE id = 7")).isEqualTo("First7 Last7");
        }).run());
    }

    @TestTemplate
    void thePortableExample(OnDatabase on) throws Exception {
        Migration portable = Examples.migration("portable.yaml");
        assertThat(portable.portability().describe()).isEqualTo("runs on: PostgreSQL, MariaDB");
        on.postgres(pg -> Cycle.onShop(pg).migration(portable).afterContract((db, v) -> shopInCents(db)).run());
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration(portable)
                .afterContract((db, v) -> shopInCents(db)).run());
    }

    @TestTemplate
    void theReadmesQuickLook(OnDatabase on) throws Exception {
        Migration readme = readmeExample();
        assertThat(readme.portability().describe()).isEqualTo("runs on: PostgreSQL, MariaDB");
        on.postgres(pg -> Cycle.onShop(pg).migration(readme).afterContract((db, v) -> shopInCents(db)).run());
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration(readme)
                .afterContract((db, v) -> shopInCents(db)).run());
    }

    private static void shopInCents(StatementsAsVersion db) {
        assertThat(db.rows("SELECT price FROM products WHERE id IN (1, 2) ORDER BY id")).containsExactly("125", "250");
        assertThat(db.value("SELECT display_name FROM customers WHERE id = 7")).isEqualTo("First7 Last7");
    }

    /** The first YAML block of the README. */
    private static Migration readmeExample() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        Matcher yaml = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(yaml.find()).as("a YAML block in README.md").isTrue();
        return new MigrationParser().parse("README.md.yaml", yaml.group(1).getBytes(StandardCharsets.UTF_8));
    }
}
