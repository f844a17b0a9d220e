package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Columns whose names need quoting (backticks, quotes, semicolons, spaces, non-ASCII letters) on a table a
 * migration changes: they travel through the version views, the sync triggers' variables and the backfill, in
 * backticks. Migration files cannot name such columns themselves, but expressions can, in double quotes.
 */
class MariaDbHostileNamesTest {
    private static final String TABLE = "CREATE TABLE things (id BIGINT AUTO_INCREMENT PRIMARY KEY, label VARCHAR(20),"
            + " `we``ird` VARCHAR(20), `quote'd \"x\"` VARCHAR(20), `semi;colon` VARCHAR(20), `spa ce` INT,"
            + " `ünïcödé` VARCHAR(20))";

    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    private static final String SUMMARY = "CONCAT_WS('|', \"we`ird\", \"quote'd \"\"x\"\"\", \"semi;colon\", \"spa ce\","
            + " \"ünïcödé\", 'x\\')";

    @Test
    void hostileColumnNamesGoThroughAFullCycle() throws Exception {
        Cycle<MariaDbTestDatabase> cycle = Cycle.onMariaDbShop(db);
        db.execute(TABLE, "INSERT INTO things (label, `we``ird`, `quote'd \"x\"`, `semi;colon`, `spa ce`, `ünïcödé`)"
                + " SELECT CONCAT('l', seq), CONCAT('w', seq), CONCAT('q', seq), CONCAT('s', seq), seq, CONCAT('ü', seq)"
                + " FROM seq_1_to_300");
        String summary = SUMMARY;
        // in place: the sync triggers name every column (the table copy's triggers too, MariaDbTableCopyTest)
        cycle.inline("summarize_things",
                        "add_column: {table: things, column: {name: summary, type: varchar(200)}, up: '"
                                + summary.replace("'", "''") + "'}",
                        "alter_column: {table: things, column: label, type: varchar(80), up: 'CONCAT(label, \"spa ce\")',"
                                + " down: 'LEFT(label, 20)', strategy: in_place}")
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO things (label, `we``ird`, `quote'd \"x\"`, `semi;colon`, `spa ce`, `ünïcödé`)"
                            + " VALUES ('old', 'a`b', 'c''d', 'e;f', 7, 'ß')");
                    assertThat(db.value(v, "SELECT CONCAT(summary, ' ', label) FROM things WHERE id = (SELECT MAX(id) FROM things)"))
                            .isEqualTo("a`b|c'd|e;f|7|ß|x\\ old7");
                    db.executeIn(v, "UPDATE things SET label = 'from new', `spa ce` = 8 WHERE id = 1");
                    assertThat(db.value("SELECT CONCAT(label, ' ', `spa ce`) FROM things WHERE id = 1")).isEqualTo("from new 8");
                    db.execute("UPDATE things SET `semi;colon` = 'changed' WHERE id = 2");
                    assertThat(db.value(v, "SELECT summary FROM things WHERE id = 2")).isEqualTo("w2|q2|changed|2|ü2|x\\");
                    db.execute("DELETE FROM things WHERE id > 300", "UPDATE things SET label = 'l1', `spa ce` = 1 WHERE id = 1",
                            "UPDATE things SET `semi;colon` = 's2' WHERE id = 2");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT summary FROM things WHERE id = 5")).isEqualTo("w5|q5|s5|5|ü5|x\\");
                    assertThat(db.value("SELECT label FROM things WHERE id = 5")).isEqualTo("l55");
                    assertThat(db.value(v, "SELECT `ünïcödé` FROM things WHERE id = 6")).isEqualTo("ü6");
                })
                .run();
    }

    /**
     * The trigger of the migration below, whose rule names them, made again where it stands when a migration that
     * chains its rules with it stacks on it (by dynamic SQL, the trigger's text inside a string).
     */
    @Test
    void hostileColumnNamesInATriggerMadeAgainForAStackedMigration() {
        db.execute(TABLE, "INSERT INTO things (label, `we``ird`, `quote'd \"x\"`, `semi;colon`, `spa ce`, `ünïcödé`)"
                + " VALUES ('l1', 'w1', 'q1', 's1', 1, 'ü1')");
        Tandem tandem = db.tandem();
        tandem.expand(Examples.inline("summarize_things", "add_column: {table: things, column: {name: summary,"
                + " type: varchar(200)}, up: '" + SUMMARY.replace("'", "''") + "'}"));
        tandem.backfill("summarize_things", BackfillListener.NONE);
        tandem.expand(Examples.inline("widen_summary", "alter_column: {table: things, column: summary,"
                + " type: varchar(300), up: summary, down: summary}"));
        tandem.backfill("widen_summary", BackfillListener.NONE);
        String summarized = tandem.status().get(0).versionSchema();
        String widened = tandem.status().get(1).versionSchema();

        db.execute("INSERT INTO things (label, `we``ird`, `quote'd \"x\"`, `semi;colon`, `spa ce`, `ünïcödé`)"
                + " VALUES ('old', 'a`b', 'c''d', 'e;f', 7, 'ß')");
        assertThat(db.value(widened, "SELECT summary FROM things WHERE label = 'old'")).isEqualTo("a`b|c'd|e;f|7|ß|x\\");
        db.executeIn(widened, "UPDATE things SET summary = 'from widened' WHERE label = 'l1'");
        assertThat(db.value(summarized, "SELECT summary FROM things WHERE label = 'l1'")).isEqualTo("from widened");

        tandem.contract("summarize_things", InstanceCheck.FORCE);
        tandem.contract("widen_summary", InstanceCheck.FORCE);
        assertThat(db.rows("SELECT label, summary FROM things ORDER BY id"))
                .containsExactly("l1|from widened", "old|a`b|c'd|e;f|7|ß|x\\");
    }
}
