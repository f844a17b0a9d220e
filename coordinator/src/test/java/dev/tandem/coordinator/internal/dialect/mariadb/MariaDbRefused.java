package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import java.util.List;

/** Checks that a migration is refused on MariaDB before anything changes. */
final class MariaDbRefused {
    private MariaDbRefused() {
    }

    /**
     * Plan and expand both fail with {@link InvalidMigrationException} (exit code 2) whose message contains every
     * fragment; the catalog is as before and Tandem recorded nothing.
     */
    static void byPlanAndExpand(MariaDbTestDatabase db, Migration migration, String... fragments) {
        List<String> before = MariaDbCatalogDump.of(db);
        Tandem tandem = db.tandem();
        for (Runnable attempt : List.<Runnable>of(() -> tandem.plan(migration), () -> tandem.expand(migration))) {
            var refusal = assertThatThrownBy(attempt::run).isInstanceOf(InvalidMigrationException.class);
            for (String fragment : fragments) {
                refusal.hasMessageContaining(fragment);
            }
        }
        assertThat(MariaDbCatalogDump.of(db)).containsExactlyElementsOf(before);
        assertThat(tandem.status()).isEmpty();
    }
}
