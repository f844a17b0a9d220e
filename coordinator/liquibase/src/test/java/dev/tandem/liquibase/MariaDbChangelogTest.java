package dev.tandem.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.StateConflictException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sample project's phase-labelled changelog on the MariaDB service, Tandem's state in its MariaDB state store. */
final class MariaDbChangelogTest {
    private static final Changelog SHOP = Changelog.classpath("liquibase/shop-changelog.xml");

    @RegisterExtension
    final MariaDbScratch db = new MariaDbScratch();

    @Test
    void renamesAndWidensWhileBothVersionsWork() throws Exception {
        history();
        LiquibasePhases phases = new LiquibasePhases(db.tandem());

        phases.run(ChangelogPhase.EXPAND, SHOP);
        db.execute("INSERT INTO customer (full_name, email) VALUES ('Old Version', 'old@example.com')");
        db.execute("INSERT INTO customer (name, email) VALUES ('New Version', '"
                + "n".repeat(200) + "@example.com')");
        db.execute("UPDATE customer SET full_name = 'Ada King' WHERE id = 1");
        db.execute("UPDATE customer SET name = 'Alan M. Turing' WHERE id = 2");
        assertThat(db.rows("SELECT full_name, name FROM customer WHERE id IN (1, 2, 4, 5) ORDER BY id"))
                .containsExactly("Ada King|Ada King", "Alan M. Turing|Alan M. Turing", "Old Version|Old Version",
                        "New Version|New Version");
        phases.run(ChangelogPhase.BACKFILL, SHOP);
        assertThat(db.rows("SELECT count(*) FROM customer WHERE name IS NULL")).containsExactly("0");
        phases.run(ChangelogPhase.CONTRACT, SHOP);

        db.execute("INSERT INTO customer (name) VALUES ('Only New')");
        assertThat(db.rows("SELECT name FROM customer ORDER BY id")).containsExactly("Ada King", "Alan M. Turing",
                "Grace Hopper", "Old Version", "New Version", "Only New");
        assertThat(db.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + db.name()
                + "' AND table_name = 'customer' ORDER BY ordinal_position")).containsExactly("id", "email", "name");
        assertThat(db.rows("SELECT filename, id, author, phase, checksum FROM tandem.liquibase_changesets WHERE"
                + " target_schema = '" + db.name() + "' ORDER BY id")).containsExactlyElementsOf(db.rows(
                "SELECT filename, id, author, labels, md5sum FROM DATABASECHANGELOG WHERE labels IS NOT NULL"
                        + " ORDER BY id"));
        assertThat(db.rows("SELECT phase FROM tandem.liquibase_changelogs WHERE target_schema = '" + db.name() + "'"))
                .containsExactly("contracted");
    }

    @Test
    void refusesWhatPostgresRefusesNothingApplied() throws Exception {
        history();
        LiquibasePhases phases = new LiquibasePhases(db.tandem());

        assertThatThrownBy(() -> phases.run(ChangelogPhase.CONTRACT, SHOP)).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("contract refused").hasMessageContaining("4-customer-name::shop (expand)");
        assertThatThrownBy(() -> phases.run(ChangelogPhase.EXPAND, Changelog.classpath("changelogs/unlabelled.yaml")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("changelogs/unlabelled.yaml::forgot-the-label::t has no phase label");
        assertThat(db.rows("SELECT count(*) FROM DATABASECHANGELOG WHERE labels IS NOT NULL")).containsExactly("0");
    }

    @Test
    void rollbackAfterExpandLeavesTheCatalogAsBeforeAndIsRefusedAfterContract() throws Exception {
        history();
        LiquibasePhases phases = new LiquibasePhases(db.tandem());
        try (CatalogComparison catalog = CatalogComparison.open(db.pool(), db.name())) {
            CatalogComparison.Snapshot before = catalog.snapshot();
            phases.run(ChangelogPhase.EXPAND, SHOP);
            assertThat(catalog.differences(before, catalog.snapshot())).anyMatch(
                    line -> line.startsWith("left behind trigger customer_name_sync_update BEFORE UPDATE ON customer"));

            phases.rollback(SHOP);

            assertThat(catalog.differences(before, catalog.snapshot())).isEmpty();
        }
        for (ChangelogPhase phase : ChangelogPhase.values()) {
            phases.run(phase, SHOP);
        }
        assertThatThrownBy(() -> phases.rollback(SHOP)).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("rollback refused: contract changesets ran");
    }

    /** The project's history, run by plain Liquibase before it adopted Tandem. */
    private void history() throws Exception {
        PlainLiquibase.update(db.pool(), SHOP, PlainLiquibase.HISTORY_ONLY);
    }
}
