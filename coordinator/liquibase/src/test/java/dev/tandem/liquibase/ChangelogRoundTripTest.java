package dev.tandem.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code migrate verify --changelog}'s round trip on a scratch database. */
final class ChangelogRoundTripTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @Test
    void theSampleProjectGoesThroughExpandRollbackAndEveryPhase() {
        assertThat(ChangelogRoundTrip.verify(db.pool(), Changelog.classpath("liquibase/shop-changelog.xml"), false))
                .isEmpty();
        assertThat(db.value("SELECT phase FROM tandem.liquibase_changelogs")).isEqualTo("contracted");
    }

    @Test
    void aRollbackBlockThatForgetsSomethingIsTdm301NamingIt() {
        assertThat(ChangelogRoundTrip.verify(db.pool(), Changelog.classpath("rollback/leaky.xml"), false))
                .singleElement().satisfies(finding -> {
                    assertThat(finding.ruleId()).isEqualTo("TDM301");
                    assertThat(finding.file()).isEqualTo("rollback/leaky.xml");
                    assertThat(finding.message()).startsWith("after rollback: left behind function item_touch() ");
                });
    }

    @Test
    void aSetupScriptHoldsTheHistoryWhichIsThenMarkedAsRun() {
        db.execute("CREATE TABLE item (id bigint PRIMARY KEY, code text)");

        assertThat(ChangelogRoundTrip.verify(db.pool(), Changelog.classpath("verify/safe.xml"), true)).isEmpty();
        assertThat(db.value("SELECT exectype FROM databasechangelog WHERE id = '0-history'")).isEqualTo("EXECUTED");
    }

    @Test
    void aChangesetWithoutRollbackBlockIsTdm302() {
        assertThat(ChangelogRoundTrip.verify(db.pool(), Changelog.classpath("rollback/no-rollback.xml"), false))
                .singleElement().satisfies(finding -> {
                    assertThat(finding.ruleId()).isEqualTo("TDM302");
                    assertThat(finding.message()).contains("rollback failed", "no rollback block for "
                            + "rollback/no-rollback.xml::2-fill::t");
                });
    }
}
