package dev.tandem.liquibase;


import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.verify.AppStatements;
import dev.tandem.coordinator.internal.verify.QueryFile;
import dev.tandem.coordinator.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code migrate verify --changelog}'s round trip on a scratch database. */
final class ChangelogRoundTripTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @Test
    void theSampleProjectGoesThroughExpandRollbackAndEveryPhase() {
        assertThat(ChangelogRoundTrip.verify(db.pool(), Changelog.classpath("liquibase/shop-changelog.xml"), false,
                AppStatements.NONE, AppStatements.NONE))
                .isEmpty();
        assertThat(db.value("SELECT phase FROM tandem.liquibase_changelogs")).isEqualTo("contracted");
    }

    @Test
    void theOldVersionsStatementsRunAfterExpandAndTheNewVersionsAfterContract() {
        AppStatements oldVersion = queries("old.sql", "SELECT id, full_name FROM customer WHERE id = 1;\n"
                + "INSERT INTO customer (full_name, email) VALUES ('Old Writer', 'old@example.com');");
        AppStatements newVersion = queries("new.sql", "SELECT id, name FROM customer WHERE id = 1;\n"
                + "INSERT INTO customer (name, email) VALUES ('New Writer', 'new@example.com');");

        assertThat(ChangelogRoundTrip.verify(db.pool(), Changelog.classpath("liquibase/shop-changelog.xml"), false,
                oldVersion, newVersion)).isEmpty();
    }

    @Test
    void aNewVersionStatementThatContractBreaksIsTdm304() {
        AppStatements newVersion = queries("new.sql", "SELECT name, full_name FROM customer;");

        assertThat(ChangelogRoundTrip.verify(db.pool(), Changelog.classpath("liquibase/shop-changelog.xml"), false,
                AppStatements.NONE, newVersion)).singleElement().satisfies(finding -> {
                    assertThat(finding.ruleId()).isEqualTo("TDM304");
                    assertThat(finding.file()).isEqualTo("new.sql");
                    assertThat(finding.message()).contains("full_name", "liquibase/shop-changelog.xml (contract)");
                });
    }

    @Test
    void anOldVersionStatementThatFailsBeforeTheChangelogIsBadInput() {
        AppStatements oldVersion = queries("old.sql", "SELECT name FROM customer;");

        assertThatThrownBy(() -> ChangelogRoundTrip.verify(db.pool(),
                Changelog.classpath("liquibase/shop-changelog.xml"), false, oldVersion, AppStatements.NONE))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("old.sql:1: fails before the migration already");
    }

    private static AppStatements queries(String file, String sql) {
        return AppStatements.of(List.of(new QueryFile(file, sql)));
    }

    @Test
    void aRollbackBlockThatForgetsSomethingIsTdm301NamingIt() {
        assertThat(ChangelogRoundTrip.verify(db.pool(), Changelog.classpath("rollback/leaky.xml"), false,
                AppStatements.NONE, AppStatements.NONE))
                .singleElement().satisfies(finding -> {
                    assertThat(finding.ruleId()).isEqualTo("TDM301");
                    assertThat(finding.file()).isEqualTo("rollback/leaky.xml");
                    assertThat(finding.message()).startsWith("after rollback: left behind function item_touch() ");
                });
    }

    @Test
    void aSetupScriptHoldsTheHistoryWhichIsThenMarkedAsRun() {
        db.execute("CREATE TABLE item (id bigint PRIMARY KEY, code text)");

        assertThat(ChangelogRoundTrip.verify(db.pool(), Changelog.classpath("verify/safe.xml"), true,
                AppStatements.NONE, AppStatements.NONE)).isEmpty();
        assertThat(db.value("SELECT exectype FROM databasechangelog WHERE id = '0-history'")).isEqualTo("EXECUTED");
    }

    @Test
    void aChangesetWithoutRollbackBlockIsTdm302() {
        assertThat(ChangelogRoundTrip.verify(db.pool(), Changelog.classpath("rollback/no-rollback.xml"), false,
                AppStatements.NONE, AppStatements.NONE))
                .singleElement().satisfies(finding -> {
                    assertThat(finding.ruleId()).isEqualTo("TDM302");
                    assertThat(finding.message()).contains("rollback failed", "no rollback block for "
                            + "rollback/no-rollback.xml::2-fill::t");
                });
    }
}
