package dev.tandem.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sample project of migrations-examples through expand, backfill and contract with both versions at work. */
final class ShopChangelogTest {
    private static final Changelog SHOP = Changelog.classpath("liquibase/shop-changelog.xml");
    private static final String LABELLED = "SELECT filename, id, author, md5sum FROM public.databasechangelog"
            + " WHERE labels IS NOT NULL ORDER BY orderexecuted";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @Test
    void renamesAndWidensWhileBothVersionsWork() throws Exception {
        PlainLiquibase.update(db, SHOP, PlainLiquibase.HISTORY_ONLY);
        LiquibasePhases phases = new LiquibasePhases(db.tandem());

        ChangelogResult expand = phases.run(ChangelogPhase.EXPAND, SHOP);

        assertThat(expand.applied()).extracting(s -> s.split("::")[1])
                .containsExactly("4-customer-name", "5-customer-name-sync", "6-customer-email-width");
        db.execute("INSERT INTO customer (full_name, email) VALUES ('Old Version', 'old@example.com')");
        db.execute("INSERT INTO customer (name, email) VALUES ('New Version', '" + "n".repeat(200) + "@example.com')");
        db.execute("UPDATE customer SET full_name = 'Ada King' WHERE id = 1");
        assertThat(db.rows("SELECT full_name, name FROM customer WHERE id IN (1, 4, 5) ORDER BY id"))
                .containsExactly("Ada King|Ada King", "Old Version|Old Version", "New Version|New Version");
        assertThat(db.value("SELECT count(*) FROM customer WHERE name IS NULL")).isEqualTo("2");

        ChangelogResult backfill = phases.run(ChangelogPhase.BACKFILL, SHOP);

        assertThat(backfill.applied()).hasSize(1);
        assertThat(db.value("SELECT count(*) FROM customer WHERE name IS NULL")).isEqualTo("0");
        db.execute("INSERT INTO customer (full_name) VALUES ('Old Again')");

        ChangelogResult contract = phases.run(ChangelogPhase.CONTRACT, SHOP);

        assertThat(contract.applied()).extracting(s -> s.split("::")[1]).containsExactly("8-customer-name-required");
        db.execute("INSERT INTO customer (name) VALUES ('Only New')");
        assertThat(db.rows("SELECT name FROM customer ORDER BY id")).containsExactly("Ada King", "Alan Turing",
                "Grace Hopper", "Old Version", "New Version", "Old Again", "Only New");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customer'"
                + " AND column_name = 'full_name'")).isEqualTo("0");
        assertThat(db.rows("SELECT filename, id, author, checksum FROM tandem.liquibase_changesets ORDER BY id"))
                .containsExactlyElementsOf(db.rows(LABELLED));
        assertThat(db.rows("SELECT phase FROM tandem.liquibase_changesets ORDER BY id"))
                .containsExactly("expand", "expand", "expand", "backfill", "contract");
        assertThat(db.value("SELECT changelog || '|' || phase FROM tandem.liquibase_changelogs"))
                .isEqualTo("liquibase/shop-changelog.xml|contracted");
    }

    @Test
    void runningAPhaseAgainAppliesNothingAndLeavesTheRecordedPhase() throws Exception {
        PlainLiquibase.update(db, SHOP, PlainLiquibase.HISTORY_ONLY);
        LiquibasePhases phases = new LiquibasePhases(db.tandem());
        phases.run(ChangelogPhase.EXPAND, SHOP);

        assertThat(phases.run(ChangelogPhase.EXPAND, SHOP).applied()).isEmpty();
        phases.run(ChangelogPhase.BACKFILL, SHOP);
        phases.run(ChangelogPhase.CONTRACT, SHOP);
        assertThat(phases.run(ChangelogPhase.EXPAND, SHOP).applied()).isEmpty();
        assertThat(db.value("SELECT phase FROM tandem.liquibase_changelogs")).isEqualTo("contracted");
    }

    @Test
    void refusesContractBeforeExpandAndBackfill() throws Exception {
        PlainLiquibase.update(db, SHOP, PlainLiquibase.HISTORY_ONLY);
        LiquibasePhases phases = new LiquibasePhases(db.tandem());

        assertThatThrownBy(() -> phases.run(ChangelogPhase.CONTRACT, SHOP))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("contract refused")
                .hasMessageContaining("liquibase/shop-changelog.xml::4-customer-name::shop (expand)")
                .hasMessageContaining("7-customer-name-backfill::shop (backfill)")
                .hasMessageContaining("Run migrate expand");
        phases.run(ChangelogPhase.EXPAND, SHOP);
        assertThatThrownBy(() -> phases.run(ChangelogPhase.CONTRACT, SHOP))
                .hasMessageContaining("Run migrate backfill");
        assertThat(db.value("SELECT count(*) FROM customer WHERE full_name IS NOT NULL")).isEqualTo("3");
        assertThat(db.rows("SELECT id FROM databasechangelog WHERE labels IS NOT NULL ORDER BY orderexecuted"))
                .containsExactly("4-customer-name", "5-customer-name-sync", "6-customer-email-width");
    }
}
