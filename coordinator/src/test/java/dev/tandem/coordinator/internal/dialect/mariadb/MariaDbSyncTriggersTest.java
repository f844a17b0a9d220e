package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sync triggers read the row itself, without local variables, under each version's column names. */
class MariaDbSyncTriggersTest {
    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    /** Every variable a trigger declares is set up for every row it fires for, the backfill's rows included. */
    @Test
    void triggersDeclareNoVariables() {
        db.execute("CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT)");
        db.tandem().expand(Examples.inline("widen_qty",
                "alter_column: {strategy: in_place, table: items, column: qty, type: bigint, up: qty, down: qty}"));

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
                "alter_column: {strategy: in_place, table: events, column: Qty, type: bigint, up: qty, down: \"LEAST(qty, 2147483647)\"}");
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

    /**
     * A new-version update of a row the backfill has not reached, touching neither version's column of the change,
     * fills the new column from up and leaves the old one alone, though down(up(old)) is not old here.
     */
    @Test
    void aNewVersionUpdateOfAnUnfilledRowLeavesTheOldColumnAsItWas() {
        db.execute("CREATE TABLE people (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), other INT)",
                "INSERT INTO people (name, other) VALUES ('abcdefghijKLMNOP', 0)");
        Tandem tandem = db.tandem();
        tandem.expand(Examples.inline("short_names", "alter_column: {strategy: in_place, table: people, column: name, type: varchar(10),"
                + " nullable: false, up: \"COALESCE(LEFT(name, 10), '')\", down: name}"));
        String v = tandem.status().get(0).versionSchema();

        db.executeIn(v, "UPDATE people SET other = 1 WHERE id = 1");

        assertThat(db.value("SELECT name FROM people WHERE id = 1")).isEqualTo("abcdefghijKLMNOP");
        assertThat(db.value(v, "SELECT name FROM people WHERE id = 1")).isEqualTo("abcdefghij");
    }

    /**
     * A new-version update that sets a new column of a row the backfill has not reached to NULL, or computes it from
     * the NULL it reads there, is refused: filling it from up would lose the write or change it. An update that does
     * not name the column still fills it, and once the row is filled the same statements do what they say.
     */
    @Test
    void aNewVersionUpdateThatSetsAnUnfilledColumnToNullIsRefused() {
        db.execute("CREATE TABLE stock (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT, other INT)",
                "INSERT INTO stock (qty, other) VALUES (5, 0), (6, 0), (7, 0)");
        Tandem tandem = db.tandem();
        tandem.expand(Examples.inline("count_stock",
                "add_column: {table: stock, column: {name: qty_new, type: bigint, nullable: false}, up: qty}",
                "add_column: {table: stock, column: {name: label, type: varchar(20)}, up: \"CONCAT('q', qty)\"}"));
        String v = tandem.status().get(0).versionSchema();

        assertThatThrownBy(() -> db.executeIn(v, "UPDATE stock SET qty_new = qty_new + 10 WHERE id = 1"))
                .hasMessageContaining("Column 'qty_new' cannot be null (NOT NULL in the new version): the backfill has "
                        + "not reached this row yet")
                .hasMessageContaining("Run `migrate backfill` to the end before the new version writes");
        assertThatThrownBy(() -> db.executeIn(v, "UPDATE stock SET `QTY_NEW` = NULL WHERE id = 1"))
                .hasMessageContaining("Column 'qty_new' cannot be null");
        assertThatThrownBy(() -> db.executeIn(v, "UPDATE stock SET label = CONCAT(label, '!') WHERE id = 2"))
                .hasMessageContaining("Tandem: the new version's update sets column 'label' of 'stock' to NULL");
        // inside a routine the processlist shows the routine's statement, not the CALL
        db.executeIn(v, "CREATE PROCEDURE bump_stock() UPDATE stock SET qty_new = qty_new + 10 WHERE id = 3");
        assertThatThrownBy(() -> db.executeIn(v, "CALL bump_stock()"))
                .hasMessageContaining("Column 'qty_new' cannot be null");
        assertThat(db.rows(v, "SELECT CONCAT(id, '|', IFNULL(qty_new, 'null'), '|', IFNULL(label, 'null')) FROM stock"
                + " ORDER BY id")).containsExactly("1|null|null", "2|null|null", "3|null|null");

        db.executeIn(v, "UPDATE stock SET other = 1 WHERE id = 1");
        db.executeIn(v, "UPDATE stock SET qty_new = qty_new + 10 WHERE id = 1");
        assertThat(db.value(v, "SELECT qty_new FROM stock WHERE id = 1")).isEqualTo("15");
        assertThat(db.value("SELECT qty FROM stock WHERE id = 1")).isEqualTo("5");

        tandem.backfill("count_stock", BackfillListener.NONE);
        db.executeIn(v, "UPDATE stock SET qty_new = qty_new + 10, label = CONCAT(label, '!') WHERE id = 2");
        assertThat(db.rows(v, "SELECT CONCAT(id, '|', qty_new, '|', label) FROM stock ORDER BY id"))
                .containsExactly("1|15|q5", "2|16|q6!", "3|7|q7");
    }

    /**
     * A unique index built for the new version holds over the rows filled so far: a duplicate of a row the backfill
     * has not reached gets in, and the backfill stops at that row saying why. Once one of the rows changes, it ends.
     */
    @Test
    void aDuplicateOfARowTheBackfillHasNotReachedStopsTheBackfillWithTheReason() {
        db.execute("CREATE TABLE members (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40))",
                "INSERT INTO members (name) VALUES ('Ada')");
        Tandem tandem = db.tandem();
        tandem.expand(Examples.inline("member_handles", "add_column: {table: members, column: {name: handle,"
                + " type: varchar(40), unique: true}, up: \"LOWER(name)\"}"));
        db.execute("INSERT INTO members (name) VALUES ('ADA')");

        assertThatThrownBy(() -> tandem.backfill("member_handles", BackfillListener.NONE))
                .hasMessageContaining("Duplicate entry 'ada'")
                .hasMessageContaining("for a unique one, another row already holds that value: one written (by "
                        + "either version) before the backfill reached this row, or already there before expand");

        db.execute("UPDATE members SET name = 'Ada2' WHERE id = 2");
        tandem.backfill("member_handles", BackfillListener.NONE);
        assertThat(db.rows("SELECT handle FROM members ORDER BY id")).containsExactly("ada", "ada2");
    }

    /**
     * A session on the new version's database that has not set the version variable is refused, naming the variable
     * and its value, before the triggers could take its writes for the old version's; reads as well.
     */
    @Test
    void aSessionThatForgetsTheVersionVariableIsRefused() throws Exception {
        db.execute("CREATE TABLE people (id BIGINT AUTO_INCREMENT PRIMARY KEY, first_name VARCHAR(40))",
                "INSERT INTO people (first_name) VALUES ('Ada')");
        Tandem tandem = db.tandem();
        tandem.expand(Examples.inline("add_nickname",
                "add_column: {table: people, column: {name: nickname, type: varchar(40)}, up: first_name}"));
        String v = tandem.status().get(0).versionSchema();
        String refusal = "this session uses the views of schema version database `" + v + "` but has not set "
                + "@tandem_version to it, so the sync triggers would take its writes for the old version's: run SET "
                + "@tandem_version = '" + v + "' on the connection first";

        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(v));
             java.sql.Statement s = c.createStatement()) {
            for (String statement : List.of("INSERT INTO people (first_name, nickname) VALUES ('Grace', 'Amazing')",
                    "UPDATE people SET nickname = 'Countess' WHERE id = 1", "DELETE FROM people WHERE id = 1",
                    "SELECT nickname FROM people WHERE id = 1")) {
                assertThatThrownBy(() -> s.execute(statement)).as(statement).hasMessageContaining(refusal);
            }
            s.execute("SET @tandem_version = 'another_version'");
            assertThatThrownBy(() -> s.execute("UPDATE people SET nickname = 'Countess' WHERE id = 1"))
                    .hasMessageContaining(refusal);
            s.execute("SET @tandem_version = '" + v + "'");
            s.execute("UPDATE people SET nickname = 'Countess' WHERE id = 1");
            s.execute("INSERT INTO people (first_name, nickname) VALUES ('Grace', 'Amazing')");
        }
        assertThat(db.rows(v, "SELECT CONCAT(first_name, '|', nickname) FROM people ORDER BY id"))
                .containsExactly("Ada|Countess", "Grace|Amazing");
        assertThat(db.value("SELECT COUNT(*) FROM people")).isEqualTo("2");
    }

    /**
     * Between the sync triggers' drop and the drop of the original column an old-version write would not be
     * copied, and the drop would lose it: contract refuses it instead, from its first step on, and lets the new
     * version write. Rollback likewise refuses the new version's writes while it removes the new version's columns.
     */
    @Test
    void contractAndRollbackRefuseTheLeavingVersionsWritesInsteadOfLosingThem() {
        db.execute("CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT)", "INSERT INTO items (qty) VALUES (1)");
        Migration widen = Examples.inline("widen_qty",
                "alter_column: {strategy: in_place, table: items, column: qty, type: bigint, up: qty, down: qty}");
        String[] version = new String[1];
        List<String> refused = new ArrayList<>();
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).afterStep(step -> {
            if (step.equals("rollback/main/0")) {
                refused.add(refusal(() -> db.executeIn(version[0], "UPDATE items SET qty = 4 WHERE id = 1")));
                db.execute("UPDATE items SET qty = 5 WHERE id = 1");
            } else if (step.equals("contract/main/0")) {
                refused.add(refusal(() -> db.execute("UPDATE items SET qty = 4 WHERE id = 1")));
                refused.add(refusal(() -> db.execute("INSERT INTO items (qty) VALUES (4)")));
                db.executeIn(version[0], "UPDATE items SET qty = 6 WHERE id = 1");
            }
        }));
        tandem.expand(widen);
        version[0] = tandem.status().get(0).versionSchema();
        tandem.rollback(widen.name());
        assertThat(db.value("SELECT qty FROM items WHERE id = 1")).isEqualTo("5");

        tandem.expand(widen);
        tandem.backfill(widen.name(), BackfillListener.NONE);
        tandem.contract(widen.name());

        assertThat(refused).containsExactly("Tandem rollback: the new version can no longer write this table",
                "Tandem contract: the old version can no longer write this table",
                "Tandem contract: the old version can no longer write this table");
        assertThat(db.rows("SELECT qty FROM items")).containsExactly("6");
        assertThat(db.value("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"))
                .isEqualTo("0");
    }

    /**
     * The fence that replaces the sync triggers at contract refuses no NULL: the column does from before the fence
     * on (contract makes it NOT NULL first), so a new-version NULL cannot slip in and make contract fail halfway.
     */
    @Test
    void aRequiredColumnRefusesNullsOnItsOwnOnceContractFencesTheOldVersionOut() {
        db.execute("CREATE TABLE people (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40))",
                "INSERT INTO people (name) VALUES ('Ada')");
        Migration required = Examples.inline("name_required",
                "alter_column: {strategy: in_place, table: people, column: name, type: varchar(20), nullable: false,"
                        + " up: \"COALESCE(name, '?')\", down: name}");
        String[] version = new String[1];
        List<String> afterFence = new ArrayList<>();
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).afterStep(step -> {
            if (step.equals("contract/main/0")) {
                try {
                    db.executeIn(version[0], "INSERT INTO people (name) VALUES (NULL)");
                    afterFence.add("accepted");
                } catch (IllegalStateException e) {
                    afterFence.add(e.getMessage().contains("cannot be null") ? "refused" : e.getMessage());
                }
            }
        }));
        tandem.expand(required);
        version[0] = tandem.status().get(0).versionSchema();
        tandem.backfill(required.name(), BackfillListener.NONE);
        tandem.contract(required.name());

        assertThat(afterFence).containsExactly("refused");
        assertThat(db.rows("SELECT name FROM people")).containsExactly("Ada");
        assertThat(db.value("SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'people' AND COLUMN_NAME = 'name'")).isEqualTo("NO");
    }

    private static String refusal(Runnable write) {
        try {
            write.run();
            return "not refused";
        } catch (IllegalStateException e) {
            return e.getMessage().replaceAll(".*(Tandem [^\\n]*table).*", "$1");
        }
    }
}
