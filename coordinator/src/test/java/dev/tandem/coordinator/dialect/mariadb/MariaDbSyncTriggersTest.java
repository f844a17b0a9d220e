package dev.tandem.coordinator.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.backfill.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sync triggers read the row itself, without local variables, under each version's column names. */
class MariaDbSyncTriggersTest {
    private MariaDbTestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = MariaDbTestDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    /** Every variable a trigger declares is set up for every row it fires for, the backfill's rows included. */
    @Test
    void triggersDeclareNoVariables() {
        db.execute("CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT)");
        db.tandem().expand(Examples.inline("widen_qty",
                "alter_column: {table: items, column: qty, type: bigint, up: qty, down: qty}"));

        assertThat(db.rows("SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"))
                .hasSize(2).noneMatch(body -> body.toUpperCase(java.util.Locale.ROOT).contains("DECLARE"));
    }

    /**
     * Column names in any case, a column named like a reserved word (only read when quoted), a column named like
     * a type (not read after AS) and one the new version names differently (the shadow column).
     */
    @Test
    void expressionsReadTheRowUnderTheirVersionsNames() throws Exception {
        db.execute("CREATE TABLE events (id BIGINT AUTO_INCREMENT PRIMARY KEY, Qty INT, `date` DATE, `null` INT,"
                        + " note VARCHAR(20))",
                "INSERT INTO events (Qty, `date`, `null`) VALUES (1, '2026-01-31', 5)");
        Migration migration = Examples.inline("describe_events",
                "add_column: {table: events, column: {name: label, type: varchar(100)}, up: \"CONCAT(IFNULL(QTY, 'none'),"
                        + " ' on ', CAST(date AS DATE) + INTERVAL 1 DAY, ' ', COALESCE(NULL, \\\"null\\\"))\"}",
                "alter_column: {table: events, column: Qty, type: bigint, up: qty, down: \"LEAST(qty, 2147483647)\"}");
        Tandem tandem = db.tandem();
        tandem.expand(migration);
        String v = tandem.status().get(0).versionSchema();

        db.execute("INSERT INTO events (Qty, `date`, `null`) VALUES (2, '2026-02-28', 6)");
        assertThat(db.value(v, "SELECT CONCAT(label, '|', qty) FROM events WHERE id = 2")).isEqualTo("2 on 2026-03-01 6|2");
        db.execute("UPDATE events SET Qty = 3 WHERE id = 2");
        assertThat(db.value(v, "SELECT CONCAT(label, '|', qty) FROM events WHERE id = 2")).isEqualTo("3 on 2026-03-01 6|3");
        db.executeIn(v, "UPDATE events SET qty = 5000000000, label = 'mine' WHERE id = 2");
        assertThat(db.value("SELECT Qty FROM events WHERE id = 2")).isEqualTo("2147483647");
        // an old-version write of a column no expression reads keeps what the new version wrote
        db.execute("UPDATE events SET note = 'x' WHERE id = 2");
        assertThat(db.value(v, "SELECT CONCAT(label, '|', qty) FROM events WHERE id = 2")).isEqualTo("mine|5000000000");

        tandem.backfill(migration.name(), BackfillListener.NONE);
        assertThat(db.value(v, "SELECT CONCAT(label, '|', qty) FROM events WHERE id = 1")).isEqualTo("1 on 2026-02-01 5|1");
    }
}
