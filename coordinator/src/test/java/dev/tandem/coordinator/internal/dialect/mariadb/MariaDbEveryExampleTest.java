package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example migration on the MariaDB shop: either plan and expand refuse it with the reason and nothing
 * changes, or it goes expand → rollback (catalog identical) → expand → backfill → contract. What the table in
 * docs/mysql.md says is online, and what it says is refused.
 */
class MariaDbEveryExampleTest {
    /** All but sql.yaml, whose SQL is PostgreSQL's (Tandem runs it as written; see MariaDbExampleMigrationsTest). */
    static Stream<String> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../migrations-examples/src/main/resources/migrations"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("sql.yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void runsOrIsRefusedBeforeAnythingChanges(String file) {
        try (MariaDbTestDatabase db = MariaDbTestDatabase.create()) {
            db.execute(Examples.schema("shop-mariadb.sql"));
            Migration migration = Examples.migration(file);
            Tandem tandem = db.tandem();
            List<String> before = Catalog.dump(db);
            try {
                tandem.plan(migration);
            } catch (InvalidMigrationException refused) {
                assertThat(refused).hasMessageContaining(file + ": operation ");
                Cycle.on(db).migration(migration).refused(file);
                return;
            }
            tandem.expand(migration);
            tandem.rollback(migration.name());
            assertThat(Catalog.dump(db)).as("catalog after rollback").containsExactlyElementsOf(before);
            tandem.expand(migration);
            tandem.backfill(migration.name(), BackfillListener.NONE);
            tandem.contract(migration.name());
            assertThat(Catalog.dump(db)).noneMatch(line -> line.contains("_tandem_"));
        }
    }
}
