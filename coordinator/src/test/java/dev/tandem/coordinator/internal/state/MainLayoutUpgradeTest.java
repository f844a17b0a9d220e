package dev.tandem.coordinator.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.state.StateSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A database whose state tables main's Tandem created (layout 2, its DDL checked in as it ran), holding a
 * migration main's Tandem expanded, is upgraded in place by the first command of this build, which then
 * backfills and contracts the migration: nothing recorded is lost, the instance registry and the Liquibase records
 * included.
 */
class MainLayoutUpgradeTest {
    private static final Migration ADD_CODE = Examples.inline("add_code", "add_column: {table: orders, column: "
            + "{name: code, type: varchar(40)}, up: \"CONCAT('C', legacy_code)\"}");
    /** The tables main's layout has and main's coordinator writes, in main's column order. */
    private static final List<String> COORDINATOR_TABLES = List.of("migrations", "history", "steps", "backfill_tables",
            "backfill_ranges");

    @Test
    void postgresql() {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("CREATE TABLE orders (id bigint PRIMARY KEY, legacy_code text NOT NULL)",
                    "INSERT INTO orders SELECT i, 'L' || i FROM generate_series(1, 500) i");
            String state = "tandem";
            Tandem tandem = db.tandem(TandemConfig.builder().stateSchema(state).rangeRows(100).build());
            tandem.expand(ADD_CODE);
            List<String> expandedHistory = history(db, "\"" + state + "\"");

            db.execute("ALTER SCHEMA tandem RENAME TO tandem_expanded");
            db.execute(mainLayout("postgresql", "\"tandem\""));
            for (String table : COORDINATOR_TABLES) {
                db.execute("INSERT INTO tandem." + table + " SELECT * FROM tandem_expanded." + table);
            }
            db.execute("SELECT setval(pg_get_serial_sequence('tandem.history', 'id'), (SELECT max(id) FROM"
                            + " tandem.history))",
                    "INSERT INTO tandem.instances (instance_id, target_schema, version, host, started_at, last_seen)"
                            + " VALUES ('gone', 'public', 'base', 'old-host', now() - interval '2 hours',"
                            + " now() - interval '1 hour')",
                    "INSERT INTO tandem.liquibase_changelogs (target_schema, changelog, phase, updated_at)"
                            + " VALUES ('public', 'db/changelog.xml', 'expanded', now())",
                    "DROP SCHEMA tandem_expanded CASCADE");

            upgradeThenFinish(db, tandem, "\"" + state + "\"", expandedHistory);
        }
    }

    @Test
    void mariaDb() {
        MariaDbTestDatabase db = MariaDbTestDatabase.create();
        // a state database of the test's own: the server's shared one may serve other builds of Tandem
        String state = db.name() + "_state";
        String quoted = "`" + state + "`";
        try {
            db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, legacy_code VARCHAR(20) NOT NULL)",
                    "INSERT INTO orders SELECT seq, CONCAT('L', seq) FROM seq_1_to_500");
            Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).stateSchema(state).rangeRows(100));
            tandem.expand(ADD_CODE);
            List<String> expandedHistory = history(db, quoted);

            db.execute("CREATE DATABASE `" + state + "_expanded`");
            for (String table : db.value("SELECT GROUP_CONCAT(TABLE_NAME) FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = '" + state + "'").split(",")) {
                db.execute("RENAME TABLE " + quoted + ".`" + table + "` TO `" + state + "_expanded`.`" + table + "`");
            }
            db.execute("DROP DATABASE " + quoted);
            db.execute(mainLayout("mariadb", quoted));
            for (String table : COORDINATOR_TABLES) {
                db.execute("INSERT INTO " + quoted + "." + table + " SELECT * FROM `" + state + "_expanded`." + table);
            }
            db.execute("INSERT INTO " + quoted + ".instances (instance_id, target_schema, version, host, started_at,"
                            + " last_seen) VALUES ('gone', '" + db.name() + "', 'base', 'old-host',"
                            + " NOW(6) - INTERVAL 2 HOUR, NOW(6) - INTERVAL 1 HOUR)",
                    "INSERT INTO " + quoted + ".liquibase_changelogs (target_schema, changelog, phase, updated_at)"
                            + " VALUES ('" + db.name() + "', 'db/changelog.xml', 'expanded', now())",
                    "DROP DATABASE `" + state + "_expanded`");

            upgradeThenFinish(db, tandem, quoted, expandedHistory);
        } finally {
            db.execute("DROP DATABASE IF EXISTS " + quoted, "DROP DATABASE IF EXISTS `" + state + "_expanded`");
            db.close();
        }
    }

    private static void upgradeThenFinish(StatementsAsVersion db, Tandem tandem, String state,
                                          List<String> expandedHistory) {
        assertThat(db.value("SELECT MAX(version) FROM " + state + ".layout")).isEqualTo("2");
        assertThat(tandem.status().get(0).phase()).isEqualTo("expanded");

        assertThat(tandem.backfill("add_code", BackfillListener.NONE).rows()).isEqualTo(500);
        assertThat(db.value("SELECT MAX(version) FROM " + state + ".layout"))
                .isEqualTo(String.valueOf(StateSchema.LAYOUT));
        assertThat(db.value("SELECT COUNT(*) FROM " + state + ".layout")).isEqualTo("1");

        assertThat(tandem.contract("add_code").phase()).isEqualTo("complete");

        assertThat(db.value("SELECT COUNT(*) FROM orders WHERE code IS NULL OR code <> CONCAT('C', legacy_code)"))
                .isEqualTo("0");
        assertThat(tandem.status().get(0).phase()).isEqualTo("complete");
        List<String> history = history(db, state);
        assertThat(history).startsWith(expandedHistory.toArray(String[]::new))
                .hasSizeGreaterThan(expandedHistory.size());
        assertThat(history.subList(expandedHistory.size(), history.size())).anyMatch(e -> e.endsWith("|backfilled"))
                .last().asString().endsWith("|complete");
        assertThat(db.value("SELECT instance_id FROM " + state + ".instances")).isEqualTo("gone");
        assertThat(db.value("SELECT phase FROM " + state + ".liquibase_changelogs")).isEqualTo("expanded");
    }

    /** The migration's history as recorded: id and event, in order. */
    private static List<String> history(StatementsAsVersion db, String state) {
        return db.rows("SELECT id, event FROM " + state + ".history WHERE migration = 'add_code' ORDER BY id");
    }

    /** Main's DDL with the state schema filled in, statement by statement. */
    private static String[] mainLayout(String kind, String state) {
        try (InputStream in = MainLayoutUpgradeTest.class.getResourceAsStream("/state/main-layout-" + kind + ".sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("--")).collect(Collectors.joining("\n"));
            return Arrays.stream(sql.split(";\n")).map(String::strip).filter(s -> !s.isEmpty())
                    .map(s -> s.replace("${state}", state)).toArray(String[]::new);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
