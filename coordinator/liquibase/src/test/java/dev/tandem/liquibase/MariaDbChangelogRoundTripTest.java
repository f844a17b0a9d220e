package dev.tandem.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.internal.verify.AppStatements;
import dev.tandem.coordinator.internal.verify.QueryFile;
import dev.tandem.coordinator.verify.DatabaseLogin;
import dev.tandem.coordinator.verify.ScratchServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code migrate verify --changelog}'s round trip on a MariaDB scratch database. */
final class MariaDbChangelogRoundTripTest {
    private final ScratchServer server = ScratchServer.on(new DatabaseLogin(System.getenv()
            .getOrDefault("TANDEM_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/?user=root"), null, null));

    @AfterEach
    void dropScratch() {
        server.close();
    }

    @Test
    void theSampleProjectGoesThroughWithBothVersionsStatements() {
        AppStatements oldVersion = queries("old.sql", "SELECT id, full_name FROM customer WHERE id = 1;\n"
                + "INSERT INTO customer (full_name, email) VALUES ('Old Writer', 'old@example.com');");
        AppStatements newVersion = queries("new.sql", "SELECT id, name FROM customer WHERE id = 1;\n"
                + "INSERT INTO customer (name, email) VALUES ('New Writer', 'new@example.com');");

        assertThat(ChangelogRoundTrip.verify(server.newDatabase(), Changelog.classpath("liquibase/shop-changelog.xml"),
                false, oldVersion, newVersion)).isEmpty();
    }

    @Test
    void aNewVersionStatementThatContractBreaksNamesIt() {
        assertThat(ChangelogRoundTrip.verify(server.newDatabase(), Changelog.classpath("liquibase/shop-changelog.xml"),
                false, AppStatements.NONE, queries("new.sql", "SELECT name, full_name FROM customer;")))
                .singleElement().satisfies(finding -> {
                    assertThat(finding.ruleId()).isEqualTo("TDM304");
                    assertThat(finding.file()).isEqualTo("new.sql");
                    assertThat(finding.message()).startsWith("database tandem_verify_")
                            .contains("full_name", "liquibase/shop-changelog.xml (contract)");
                });
    }

    @Test
    void aRollbackBlockThatForgetsAnIndexIsTdm301NamingIt() {
        assertThat(ChangelogRoundTrip.verify(server.newDatabase(), Changelog.classpath("rollback/leaky-mariadb.xml"),
                false, AppStatements.NONE, AppStatements.NONE))
                .singleElement().satisfies(finding -> {
                    assertThat(finding.ruleId()).isEqualTo("TDM301");
                    assertThat(finding.message()).startsWith("after rollback: ").contains("item_code_idx");
                });
    }

    private static AppStatements queries(String file, String sql) {
        return AppStatements.of(List.of(new QueryFile(file, sql)));
    }
}
