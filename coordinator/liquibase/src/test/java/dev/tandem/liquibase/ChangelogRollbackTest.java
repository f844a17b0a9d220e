package dev.tandem.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code migrate rollback --changelog}: expand and backfill undone through the changesets' rollback blocks, the
 * catalog compared before and after by Liquibase's snapshot and diff (and Tandem's queries for what it lacks).
 */
final class ChangelogRollbackTest {
    private static final Changelog SHOP = Changelog.classpath("liquibase/shop-changelog.xml");
    private static final String LABELLED = "SELECT id FROM databasechangelog WHERE labels IS NOT NULL"
            + " ORDER BY orderexecuted";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @Test
    void rollbackAfterExpandAndBackfillLeavesTheCatalogAsBeforeAndExpandRunsAgain() throws Exception {
        PlainLiquibase.update(db, SHOP, PlainLiquibase.HISTORY_ONLY);
        LiquibasePhases phases = new LiquibasePhases(db.tandem());
        CatalogComparison catalog = catalog();
        CatalogComparison.Snapshot before = catalog.snapshot();
        phases.run(ChangelogPhase.EXPAND, SHOP);
        phases.run(ChangelogPhase.BACKFILL, SHOP);
        assertThat(catalog.differences(before, catalog.snapshot())).hasSize(5).contains(
                "changed column public.customer.email: type was varchar(100 BYTE), is varchar(320 BYTE)",
                "left behind check constraint customer.customer_name_not_null CHECK ((name IS NOT NULL)) NOT VALID",
                "left behind column public.customer.name", "left behind trigger CREATE TRIGGER customer_name_sync "
                        + "BEFORE INSERT OR UPDATE ON public.customer FOR EACH ROW EXECUTE FUNCTION "
                        + "customer_name_sync()")
                .anyMatch(line -> line.startsWith("left behind function customer_name_sync() "));

        assertThat(phases.rollback(SHOP)).extracting(s -> s.split("::")[1]).containsExactly("4-customer-name",
                "5-customer-name-sync", "6-customer-email-width", "7-customer-name-backfill");

        assertThat(catalog.differences(before, catalog.snapshot())).isEmpty();
        assertThat(db.rows(LABELLED)).isEmpty();
        assertThat(db.value("SELECT count(*) FROM tandem.liquibase_changesets")).isEqualTo("0");
        assertThat(db.value("SELECT phase FROM tandem.liquibase_changelogs")).isEqualTo("rolled back");
        assertThat(phases.run(ChangelogPhase.EXPAND, SHOP).applied()).hasSize(3);
    }

    @Test
    void theComparisonNamesWhatARollbackBlockForgot() throws Exception {
        Changelog leaky = Changelog.classpath("rollback/leaky.xml");
        PlainLiquibase.update(db, leaky, PlainLiquibase.HISTORY_ONLY);
        LiquibasePhases phases = new LiquibasePhases(db.tandem());
        CatalogComparison catalog = catalog();
        CatalogComparison.Snapshot before = catalog.snapshot();
        phases.run(ChangelogPhase.EXPAND, leaky);

        phases.rollback(leaky);

        assertThat(catalog.differences(before, catalog.snapshot())).singleElement().asString()
                .startsWith("left behind function item_touch() ");
    }

    @Test
    void refusedAfterContractAndWithoutRollbackBlocksNothingRolledBack() throws Exception {
        PlainLiquibase.update(db, SHOP, PlainLiquibase.HISTORY_ONLY);
        LiquibasePhases phases = new LiquibasePhases(db.tandem());
        for (ChangelogPhase phase : ChangelogPhase.values()) {
            phases.run(phase, SHOP);
        }
        assertThatThrownBy(() -> phases.rollback(SHOP)).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("rollback refused: contract changesets ran "
                        + "(liquibase/shop-changelog.xml::8-customer-name-required::shop)");
        assertThat(db.rows(LABELLED)).hasSize(5);

        Changelog noRollback = Changelog.classpath("rollback/no-rollback.xml");
        phases.run(ChangelogPhase.EXPAND, noRollback);
        phases.run(ChangelogPhase.BACKFILL, noRollback);
        assertThatThrownBy(() -> phases.rollback(noRollback)).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("no rollback block for rollback/no-rollback.xml::2-fill::t");
        assertThat(db.value("SELECT count(*) FROM item")).isEqualTo("1");
    }

    @Test
    void statusListsEachChangesetWithItsLabelWhetherItRanAndTandemsPhase() throws Exception {
        PlainLiquibase.update(db, SHOP, PlainLiquibase.HISTORY_ONLY);
        LiquibasePhases phases = new LiquibasePhases(db.tandem());
        phases.run(ChangelogPhase.EXPAND, SHOP);

        ChangelogStatus status = phases.status(SHOP, db.pool());

        assertThat(status.tandemPhase()).isEqualTo("expanded");
        assertThat(status.changeSets()).extracting(e -> e.changeSet().split("::")[1] + " " + e.label() + " "
                + e.applied() + " " + e.tandemPhase()).containsExactly("1-customer  true null",
                "2-orders  true null", "3-data  true null", "4-customer-name expand true expand",
                "5-customer-name-sync expand true expand", "6-customer-email-width expand true expand",
                "7-customer-name-backfill backfill false null", "8-customer-name-required contract false null");
    }

    /** Closed with the test database's pool. */
    private CatalogComparison catalog() {
        return CatalogComparison.open(db.pool(), "public");
    }
}
