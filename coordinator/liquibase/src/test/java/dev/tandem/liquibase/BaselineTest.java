package dev.tandem.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A shop database made by hand adopts the changelog: its history is marked as run, the phases then run as usual. */
final class BaselineTest {
    private static final Changelog SHOP = Changelog.classpath("liquibase/shop-changelog.xml");

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @Test
    void marksTheHistoryAsRunWithoutRunningIt() {
        db.execute("CREATE TABLE customer (id bigserial PRIMARY KEY, full_name text NOT NULL, email varchar(100))",
                "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer,"
                        + " total integer NOT NULL)",
                "INSERT INTO customer (full_name) VALUES ('Made By Hand')");
        LiquibasePhases phases = new LiquibasePhases(db.tandem());

        assertThat(phases.baseline(SHOP)).containsExactly("liquibase/shop-history.xml::1-customer::shop",
                "liquibase/shop-history.xml::2-orders::shop", "liquibase/shop-history.xml::3-data::shop");
        assertThat(phases.baseline(SHOP)).isEmpty();

        assertThat(db.rows("SELECT full_name FROM customer")).containsExactly("Made By Hand");
        assertThat(db.value("SELECT phase FROM tandem.liquibase_changelogs")).isEqualTo("baseline");
        assertThat(phases.run(ChangelogPhase.EXPAND, SHOP).applied()).hasSize(3);
        assertThat(db.rows("SELECT full_name, name FROM customer")).containsExactly("Made By Hand|null");
    }
}
