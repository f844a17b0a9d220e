package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.PlanReport;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.CrashingCycle;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.SimulatedCrash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The table-copy strategy on MariaDB: each change the in-place strategy refused or rewrote every row for. */
class MariaDbTableCopyTest {
    private static final String ITEMS = "CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT,"
            + " note VARCHAR(50), KEY items_note (note))";
    private static final String ROWS = "INSERT INTO items (qty, note) SELECT seq % 7, IF(seq % 3 = 0, NULL,"
            + " CONCAT('n', seq)) FROM seq_1_to_1000";

    /** Orders, with lines that go with their order and remarks that outlive it. */
    private static final String[] ORDERS = {
            "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT, note VARCHAR(50))",
            "INSERT INTO orders (qty) SELECT seq % 7 FROM seq_1_to_1000",
            "CREATE TABLE order_lines (id BIGINT AUTO_INCREMENT PRIMARY KEY, order_id BIGINT NOT NULL,"
                    + " CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE)",
            "INSERT INTO order_lines (order_id) SELECT 1 + seq % 1000 FROM seq_1_to_2000",
            "CREATE TABLE remarks (id BIGINT AUTO_INCREMENT PRIMARY KEY, order_id BIGINT, KEY remarks_order (order_id),"
                    + " CONSTRAINT remarks_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE SET NULL)",
            "INSERT INTO remarks (order_id) SELECT seq FROM seq_1_to_100"};

    /** Items with an owner and a code, neither constrained yet. */
    private static final String[] KEYED_ITEMS = {"CREATE TABLE owners (id BIGINT PRIMARY KEY)",
            "INSERT INTO owners SELECT seq FROM seq_1_to_20", ITEMS, ROWS,
            "ALTER TABLE items ADD COLUMN owner_id BIGINT, ADD COLUMN code VARCHAR(20)",
            "UPDATE items SET owner_id = 1 + id % 20, code = CONCAT('c', id)"};
    /** A type change copies items; the unique constraint and the foreign key go with the copy. */
    private static final String[] KEYED = {"alter_column: {table: items, column: qty, type: bigint, up: qty, down: qty}",
            "alter_column: {table: items, column: code, unique: true}",
            "alter_column: {table: items, column: owner_id, references: {table: owners, column: id}}"};

    /** A new column with NOT NULL, a check and a comment. */
    private static final String GRADE = "add_column: {table: items, column: {name: grade, type: int, nullable: false,"
            + " check: grade < 10, comment: Grade of the item}, up: \"IFNULL(qty, 0) + 1\"}";

    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    @Test
    void changesTypeThroughACopyWithBothVersionsWriting() throws Exception {
        Cycle.on(db).setup(ITEMS, ROWS)
                .inline("qty_bigint", "alter_column: {table: items, column: qty, type: bigint, up: qty, down: qty}")
                .whileExpanded((db, v) -> {
                    // the old version works on; the new version waits for the backfill to fill the copy
                    db.execute("INSERT INTO items (id, qty, note) VALUES (5000, 3, 'old')",
                            "UPDATE items SET qty = qty + 1 WHERE id IN (1, 5000)", "DELETE FROM items WHERE id = 5000",
                            "UPDATE items SET qty = qty - 1 WHERE id = 1");
                    assertThatThrownBy(() -> db.value(v, "SELECT COUNT(*) FROM items"))
                            .hasMessageContaining("still filling");
                })
                .afterBackfill((db, v) -> {
                    db.execute("INSERT INTO items (id, qty, note) VALUES (5001, 3, 'old')");
                    assertThat(db.value(v, "SELECT qty FROM items WHERE id = 5001")).isEqualTo("3");
                    db.executeIn(v, "INSERT INTO items (id, qty, note) VALUES (5002, 4, 'new')");
                    assertThat(db.value("SELECT qty FROM items WHERE id = 5002")).isEqualTo("4");
                    db.execute("UPDATE items SET qty = 30 WHERE id = 5002");
                    assertThat(db.value(v, "SELECT qty FROM items WHERE id = 5002")).isEqualTo("30");
                    db.executeIn(v, "UPDATE items SET note = 'new2' WHERE id = 5001");
                    assertThat(db.value("SELECT CONCAT(qty, note) FROM items WHERE id = 5001")).isEqualTo("3new2");
                    // a value only the new type holds cannot reach the old version: refused, not lost
                    assertThatThrownBy(() -> db.executeIn(v, "UPDATE items SET qty = 5000000000 WHERE id = 5001"))
                            .hasMessageContaining("qty");
                    db.executeIn(v, "DELETE FROM items WHERE id = 5001");
                    db.execute("DELETE FROM items WHERE id = 5002");
                    assertThat(db.value(v, "SELECT COUNT(*) FROM items WHERE id > 5000")).isEqualTo("0");
                    assertThat(db.value("SELECT COUNT(*) FROM items WHERE id > 5000")).isEqualTo("0");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
                            + " DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'qty'")).isEqualTo("bigint");
                    assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(qty)) FROM items")).isEqualTo("1000/3003");
                    db.executeIn(v, "UPDATE items SET qty = 5000000000 WHERE id = 1");
                    assertThat(db.value("SELECT qty FROM items WHERE id = 1")).isEqualTo("5000000000");
                    assertThat(db.value("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA ="
                            + " DATABASE() AND TABLE_NAME = 'items' AND INDEX_NAME = 'items_note'")).isEqualTo("1");
                })
                .run();
    }

    /**
     * Both versions insert at once into a copied table whose key AUTO_INCREMENT fills: the new version's inserts take
     * their keys from the original's counter, so no key is handed out twice and no insert fails; each insert's
     * generated key, as the driver reports it, is its row's in both shapes.
     */
    @Test
    void bothVersionsInsertingAtOnceNeverTakeOneKeyTwice() throws Exception {
        Cycle.on(db).setup(ITEMS, ROWS, "ALTER TABLE items ADD UNIQUE KEY items_note_unique (note)")
                .inline("qty_bigint", "alter_column: {table: items, column: qty, type: bigint, up: qty, down: qty}")
                .afterBackfill((db, v) -> {
                    Map<Long, String> keys = new ConcurrentHashMap<>();
                    List<Throwable> failures = new CopyOnWriteArrayList<>();
                    List<Thread> writers = new ArrayList<>();
                    for (int w = 0; w < 4; w++) {
                        String version = w % 2 == 0 ? null : v;
                        String writer = (version == null ? "old" : "new") + w;
                        Thread thread = new Thread(() -> {
                            try (Connection c = db.connectAs(version); PreparedStatement insert = c.prepareStatement(
                                    "INSERT INTO items (qty, note) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                                for (int i = 0; i < 300; i++) {
                                    insert.setInt(1, i);
                                    insert.setString(2, writer + "-" + i);
                                    insert.executeUpdate();
                                    try (ResultSet key = insert.getGeneratedKeys()) {
                                        key.next();
                                        keys.put(key.getLong(1), writer + "-" + i);
                                    }
                                }
                            } catch (Exception e) {
                                failures.add(e);
                            }
                        });
                        thread.start();
                        writers.add(thread);
                    }
                    for (Thread writer : writers) {
                        writer.join();
                    }
                    assertThat(failures).isEmpty();
                    assertThat(keys).hasSize(1200);
                    String written = keys.entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
                    String rows = "SELECT GROUP_CONCAT(id, ':', note ORDER BY id) FROM items WHERE id > 1000";
                    assertThat(db.value(rows)).isEqualTo(written);
                    assertThat(db.value(v, rows)).isEqualTo(written);
                    // an insert that gives its key keeps it, in both shapes
                    db.executeIn(v, "INSERT INTO items (id, qty, note) VALUES (9000, 1, 'given')");
                    assertThat(db.value("SELECT note FROM items WHERE id = 9000")).isEqualTo("given");
                    // another unique key's duplicate: IGNORE and ON DUPLICATE KEY UPDATE act as they would
                    db.executeIn(v, "INSERT IGNORE INTO items (qty, note) VALUES (1, 'n1')",
                            "INSERT INTO items (qty, note) VALUES (5, 'n2') ON DUPLICATE KEY UPDATE qty = 77");
                    assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(IF(note = 'n2', qty, 0))) FROM items"))
                            .isEqualTo("2201/77");
                    assertThat(db.value(v, "SELECT qty FROM items WHERE note = 'n2'")).isEqualTo("77");
                    assertThatThrownBy(() -> db.executeIn(v, "INSERT INTO items (qty, note) VALUES (1, 'n1')"))
                            .hasMessageContaining("Duplicate entry 'n1'");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT COUNT(*) FROM items")).isEqualTo("2201");
                    db.execute("INSERT INTO items (qty, note) VALUES (1, 'after')");
                    assertThat(db.value("SELECT id > 9000 FROM items WHERE note = 'after'")).isEqualTo("1");
                })
                .run();
    }

    /**
     * Contract swaps the copy in only when it holds exactly the table's rows: one missing from it (written behind the
     * triggers' back, as a bug would) is named by its key, one the table no longer has is counted; nothing changes.
     */
    @Test
    void contractRefusesACopyThatLacksARowOrHoldsOneTooMany() {
        db.execute(ITEMS, ROWS);
        Migration migration = Examples.inline("qty_bigint", "alter_column: {table: items, column: qty, type: bigint,"
                + " up: qty, down: qty}");
        Tandem tandem = db.tandem();
        tandem.expand(migration);
        tandem.backfill(migration.name(), BackfillListener.NONE);
        String copy = "_tandem_new_items";
        db.execute("SET @tandem_backfill = 1", "DELETE FROM " + copy + " WHERE id = 7");
        assertThatThrownBy(() -> tandem.contract(migration.name())).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("1 rows of table 'items' still need backfill (keys [\"7\"])");

        db.execute("SET @tandem_backfill = 1", "INSERT INTO " + copy + " SELECT * FROM items WHERE id = 7",
                "INSERT INTO " + copy + " (id, qty) VALUES (5000, 1)");
        assertThatThrownBy(() -> tandem.contract(migration.name())).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("the copy of table 'items' holds 1001 rows where the table holds 1000");
        assertThat(tandem.status().get(0).phase()).isEqualTo("expanded");

        db.execute("SET @tandem_backfill = 1", "DELETE FROM " + copy + " WHERE id = 5000");
        tandem.contract(migration.name());
        assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(qty)) FROM items")).isEqualTo("1000/3003");
    }

    /** NOT NULL, which MariaDB cannot add in place without checking every row behind a lock. */
    @Test
    void makesAColumnNotNullThroughTheCopy() throws Exception {
        db.execute(ITEMS, ROWS, "UPDATE items SET note = NULL WHERE id <= 10");
        Cycle.on(db).inline("note_required", "alter_column: {table: items, column: note, nullable: false,"
                        + " up: \"IFNULL(note, '-')\", down: note}")
                .whileExpanded((db, v) -> db.execute("INSERT INTO items (id, qty, note) VALUES (5000, 1, NULL)",
                        "DELETE FROM items WHERE id = 5000"))
                .afterBackfill((db, v) -> {
                    db.execute("INSERT INTO items (id, qty, note) VALUES (5001, 1, NULL)");
                    assertThat(db.value(v, "SELECT note FROM items WHERE id = 5001")).isEqualTo("-");
                    assertThat(db.value("SELECT IFNULL(note, 'null') FROM items WHERE id = 5001")).isEqualTo("null");
                    assertThatThrownBy(() -> db.executeIn(v, "INSERT INTO items (qty, note) VALUES (1, NULL)"))
                            .hasMessageContaining("note");
                    db.executeIn(v, "UPDATE items SET note = 'set' WHERE id = 5001");
                    assertThat(db.value("SELECT note FROM items WHERE id = 5001")).isEqualTo("set");
                    db.execute("DELETE FROM items WHERE id = 5001");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
                            + " DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'note'")).isEqualTo("NO");
                    assertThat(db.value("SELECT COUNT(*) FROM items WHERE note = '-'")).isEqualTo("340");
                })
                .run();
    }

    /** plan names the strategy each alter_column takes, and why; in_place forces the shadow column. */
    @Test
    void planSaysWhichStrategyAndWhy() {
        db.execute(ITEMS);
        Tandem tandem = db.tandem();
        assertThat(tandem.plan(Examples.inline("qty_bigint", "alter_column: {table: items, column: qty, type: bigint,"
                + " up: qty, down: qty}")).expand().all()).allMatch(s -> !s.origin().startsWith("operation 1")
                || s.origin().startsWith("operation 1 (alter_column) [table copy: the change rewrites every row"))
                .anyMatch(s -> s.sql().stream().anyMatch(sql -> sql.startsWith("CREATE TABLE IF NOT EXISTS")));
        assertThat(tandem.plan(Examples.inline("qty_bigint", "alter_column: {table: items, column: qty, type: bigint,"
                + " up: qty, down: qty, strategy: in_place}")).expand().all())
                .anyMatch(s -> s.origin().equals("operation 1 (alter_column) [in place (strategy: in_place)]"))
                .noneMatch(s -> s.sql().stream().anyMatch(sql -> sql.startsWith("CREATE TABLE IF NOT EXISTS")));
    }

    /**
     * An {@code up} that reads a column a foreign key sets to NULL when its parent goes: refused in place (the key's
     * action fires no triggers); with the copy, the key is on both tables, and the database applies it to each.
     */
    @Test
    void aForeignKeyThatSetsNullActsOnBothTables() throws Exception {
        db.execute("CREATE TABLE owners (id INT PRIMARY KEY)", "INSERT INTO owners SELECT seq FROM seq_1_to_20",
                ITEMS, ROWS, "ALTER TABLE items ADD COLUMN owner_id INT, ADD CONSTRAINT items_owner_fk FOREIGN KEY"
                        + " (owner_id) REFERENCES owners (id) ON DELETE SET NULL", "UPDATE items SET owner_id = 1 + id % 20");
        String widen = "alter_column: {table: items, column: note, type: varchar(80),"
                + " up: \"COALESCE(note, CONCAT('owner ', owner_id))\", down: note";
        Cycle.on(db).inline("owned_notes", widen + ", strategy: in_place}").refused("owned_notes.yaml:"
                + " operation 1 (alter_column)", "items_owner_fk");
        Cycle.on(db).inline("owned_notes", widen + "}")
                .afterBackfill((db, v) -> {
                    db.execute("DELETE FROM owners WHERE id = 3");
                    assertThat(db.value("SELECT COUNT(*) FROM items WHERE owner_id IS NULL")).isEqualTo("50");
                    assertThat(db.value(v, "SELECT COUNT(*) FROM items WHERE owner_id IS NULL")).isEqualTo("50");
                    assertThat(db.value(v, "SELECT note FROM items WHERE id = 3")).isEqualTo("owner 4");
                    db.executeIn(v, "UPDATE items SET owner_id = 4 WHERE id = 2");
                    assertThat(db.value("SELECT owner_id FROM items WHERE id = 2")).isEqualTo("4");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT CONCAT(DELETE_RULE, ' ', REFERENCED_TABLE_NAME) FROM"
                            + " information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND"
                            + " CONSTRAINT_NAME = 'items_owner_fk' AND TABLE_NAME = 'items'")).isEqualTo("SET NULL owners");
                    db.execute("DELETE FROM owners WHERE id = 5");
                    assertThat(db.value(v, "SELECT COUNT(*) FROM items WHERE owner_id IS NULL")).isEqualTo("99");
                })
                .run();
    }

    /**
     * Expand, contract and rollback stopped after each of their steps in turn and run again: the version that stays
     * runs its statements in between without a failure, and rollback leaves the catalog as it was.
     */
    @Test
    void everyPhaseStoppedAfterEachStepIsFinishedByTheNextRun() {
        db.execute(ITEMS, ROWS);
        List<String> before = Catalog.dump(db);
        Migration migration = Examples.inline("qty_required", "alter_column: {table: items, column: qty, type: bigint,"
                + " nullable: false, up: \"IFNULL(qty, 0)\", down: qty}");
        List<String> failures = new ArrayList<>();
        SimulatedCrash.EachStep expandCrashes = new SimulatedCrash.EachStep("expand");
        Tandem expanding = db.tandem(TandemConfig.builder().schema(db.name()).afterStep(expandCrashes));
        List<String> expandSteps = expandCrashes.untilDone(() -> expanding.expand(migration), step -> failures.addAll(
                failures(step, () -> db.execute("INSERT INTO items (qty, note) VALUES (1, 'old')"),
                        () -> db.execute("UPDATE items SET qty = qty + 1 WHERE id = 1"))));
        assertThat(expandSteps).as("expand's steps").hasSizeGreaterThan(3);

        SimulatedCrash.EachStep rollbackCrashes = new SimulatedCrash.EachStep("rollback");
        Tandem rollingBack = db.tandem(TandemConfig.builder().schema(db.name()).afterStep(rollbackCrashes));
        List<String> rollbackSteps = rollbackCrashes.untilDone(() -> rollingBack.rollback(migration.name()),
                step -> failures.addAll(failures(step, () -> db.execute("INSERT INTO items (qty, note) VALUES (2, 'old')"),
                        () -> db.execute("DELETE FROM items WHERE qty = 2 AND note = 'old' LIMIT 1"))));
        assertThat(rollbackSteps).as("rollback's steps").hasSizeGreaterThan(2);
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);

        Tandem tandem = db.tandem();
        tandem.expand(migration);
        String version = tandem.status().get(0).versionSchema();
        tandem.backfill(migration.name(), BackfillListener.NONE);
        SimulatedCrash.EachStep contractCrashes = new SimulatedCrash.EachStep("contract");
        Tandem contracting = db.tandem(TandemConfig.builder().schema(db.name()).afterStep(contractCrashes));
        List<String> contractSteps = contractCrashes.untilDone(() -> contracting.contract(migration.name()),
                step -> failures.addAll(failures(step,
                        () -> db.executeIn(version, "INSERT INTO items (qty, note) VALUES (5000000000, 'new')"),
                        () -> db.executeIn(version, "UPDATE items SET qty = qty + 1 WHERE id = 2"),
                        () -> db.rows(version, "SELECT COUNT(*) FROM items"))));
        assertThat(contractSteps).as("contract's steps").hasSizeGreaterThan(4);
        assertThat(failures).as("failed statements of the version that stays").isEmpty();
        int count = 1000 + expandSteps.size();
        assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(note = 'new'), '/', MAX(qty)) FROM items"))
                .isEqualTo((count + contractSteps.size()) + "/" + contractSteps.size() + "/5000000000");
        assertThat(db.value("SELECT qty FROM items WHERE id = 2")).isEqualTo(String.valueOf(2 + contractSteps.size()));
        assertThat(Catalog.dump(db)).noneMatch(line -> line.contains("_tandem_"));
    }

    /**
     * A check on a table other tables' foreign keys refer to (one ON DELETE CASCADE over the index MariaDB made for it,
     * one ON DELETE SET NULL over an index of its own): from the end of the backfill each of them holds a second key to
     * the copy, so every row keeps its parent in both tables, whichever version deletes it; contract swaps the copy in
     * under the keys' own names.
     */
    @Test
    void copiesATableThatForeignKeysReferTo() throws Exception {
        db.execute(ORDERS);
        Cycle.on(db).inline("qty_checked", "alter_column: {table: orders, column: qty, check: qty >= 0,"
                        + " up: \"GREATEST(qty, 0)\", down: qty}")
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO orders (id, qty) VALUES (5000, 1)", "INSERT INTO order_lines (order_id) VALUES (5000)",
                            "DELETE FROM orders WHERE id = 5000");
                    assertThat(db.value("SELECT COUNT(*) FROM order_lines WHERE order_id = 5000")).isEqualTo("0");
                    assertThatThrownBy(() -> db.execute("INSERT INTO order_lines (order_id) VALUES (9999)"))
                            .hasMessageContaining("order_lines_order_fk");
                })
                .afterBackfill((db, v) -> {
                    // each version's parents, and its children with them
                    db.execute("INSERT INTO orders (id, qty) VALUES (5001, -1)", "INSERT INTO order_lines (order_id) VALUES (5001)");
                    assertThat(db.value(v, "SELECT qty FROM orders WHERE id = 5001")).isEqualTo("0");
                    db.executeIn(v, "INSERT INTO orders (id, qty) VALUES (5002, 2)",
                            "INSERT INTO order_lines (order_id) VALUES (5002)", "INSERT INTO remarks (order_id) VALUES (5002)");
                    db.execute("INSERT INTO order_lines (order_id) VALUES (5002)");
                    assertThatThrownBy(() -> db.executeIn(v, "INSERT INTO orders (id, qty) VALUES (5003, -1)"))
                            .hasMessageContaining("qty");
                    for (String version : new String[] {null, v}) {
                        assertThatThrownBy(() -> db.executeIn(version, "INSERT INTO order_lines (order_id) VALUES (9999)"))
                                .hasMessageContaining("FOREIGN KEY");
                        assertThatThrownBy(() -> db.executeIn(version, "UPDATE order_lines SET order_id = 9999 WHERE id = 1"))
                                .hasMessageContaining("FOREIGN KEY");
                    }
                    // the new version deletes from the copy, the old from the original: the keys act on both
                    db.executeIn(v, "DELETE FROM orders WHERE id IN (1, 5002)");
                    db.execute("DELETE FROM orders WHERE id IN (2, 5001)");
                    assertThat(db.value("SELECT COUNT(*) FROM order_lines WHERE order_id IN (1, 2, 5001, 5002)")).isEqualTo("0");
                    assertThat(db.value("SELECT COUNT(*) FROM remarks WHERE order_id IS NULL")).isEqualTo("3");
                    assertThat(db.value("SELECT COUNT(*) FROM orders WHERE id IN (1, 2, 5001, 5002)")).isEqualTo("0");
                    assertThat(db.value(v, "SELECT COUNT(*) FROM orders WHERE id IN (1, 2, 5001, 5002)")).isEqualTo("0");
                })
                .afterContract((db, v) -> {
                    assertThat(db.rows("SELECT CONCAT(TABLE_NAME, ' ', CONSTRAINT_NAME, ' ', REFERENCED_TABLE_NAME, ' ',"
                            + " DELETE_RULE) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA ="
                            + " DATABASE() ORDER BY 1")).containsExactly("order_lines order_lines_order_fk orders CASCADE",
                            "remarks remarks_order_fk orders SET NULL");
                    assertThat(db.rows("SELECT CONCAT(TABLE_NAME, ' ', INDEX_NAME) FROM information_schema.STATISTICS"
                            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'orders' ORDER BY 1"))
                            .containsExactlyInAnyOrder("order_lines PRIMARY", "order_lines order_lines_order_fk",
                                    "remarks PRIMARY", "remarks remarks_order");
                    assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(qty)) FROM orders")).isEqualTo("998/3000");
                    assertThat(db.value("SELECT COUNT(*) FROM order_lines")).isEqualTo("1996");
                    db.executeIn(v, "DELETE FROM orders WHERE id = 3");
                    assertThat(db.value("SELECT COUNT(*) FROM order_lines WHERE order_id = 3")).isEqualTo("0");
                    assertThat(db.value("SELECT COUNT(*) FROM remarks WHERE order_id IS NULL")).isEqualTo("4");
                    assertThatThrownBy(() -> db.executeIn(v, "INSERT INTO order_lines (order_id) VALUES (3)"))
                            .hasMessageContaining("order_lines_order_fk");
                })
                .run();
    }

    /** plan shows the copy's note with contract's and rollback's steps on the referencing tables' keys. */
    @Test
    void planShowsTheStepsOnTheReferencingKeys() {
        db.execute(ORDERS);
        PlanReport plan = db.tandem().plan(Examples.inline("qty_checked", "alter_column: {table: orders, column: qty,"
                + " check: qty >= 0, up: \"GREATEST(qty, 0)\", down: qty}"));
        assertThat(plan.contract().all()).anyMatch(s -> s.origin().startsWith("operation 1 (alter_column) [table copy:")
                && s.sql().contains("ALTER TABLE `" + db.name() + "`.`order_lines` DROP FOREIGN KEY IF EXISTS"
                + " `order_lines_order_fk`, ALGORITHM=INPLACE, LOCK=NONE"));
        assertThat(plan.rollback().all()).anyMatch(s -> s.sql().stream().anyMatch(sql -> sql.contains(
                "DROP FOREIGN KEY IF EXISTS `_tandem_remarks_order_fk`")));
        // what the backfill runs once the copy is full: its triggers (the new version's keys from the table's
        // counter among them), the second keys to it, the views of it
        assertThat(plan.backfillEnd().all()).anyMatch(s -> s.sql().stream().anyMatch(sql -> sql.contains(
                "BEFORE INSERT ON `" + db.name() + "`.`_tandem_new_orders`")))
                .anyMatch(s -> s.sql().stream().anyMatch(sql -> sql.contains("`_tandem_order_lines_order_fk`")
                        && sql.contains("`_tandem_new_orders`")))
                .anyMatch(s -> s.sql().stream().anyMatch(sql -> sql.startsWith("CREATE OR REPLACE")
                        && sql.contains("VIEW")));
    }

    /**
     * The same copy stopped after each step of expand, backfill, rollback and contract: rollback from the end of the
     * backfill (the second keys in place) returns the exact catalog, and neither version's writes to the referencing
     * tables fail in between.
     */
    @Test
    void aCopyThatForeignKeysReferToSurvivesEveryStop() {
        db.execute(ORDERS);
        List<String> before = Catalog.dump(db);
        Migration migration = Examples.inline("qty_checked", "alter_column: {table: orders, column: qty,"
                + " check: qty >= 0, up: \"GREATEST(qty, 0)\", down: qty}");
        List<String> failures = new ArrayList<>();
        Runnable oldVersion = () -> failures.addAll(failures("old version",
                () -> db.execute("INSERT INTO orders (qty) VALUES (1)"),
                () -> db.execute("INSERT INTO order_lines (order_id) SELECT MAX(id) FROM orders"),
                () -> db.execute("DELETE FROM orders WHERE id = (SELECT MIN(order_id) FROM order_lines)")));
        for (String phase : List.of("rollback", "contract")) {
            SimulatedCrash.EachStep[] crashes = {new SimulatedCrash.EachStep("expand")};
            Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).afterStep(step -> crashes[0].accept(step)));
            crashes[0].untilDone(() -> tandem.expand(migration), step -> oldVersion.run());
            String version = tandem.status().get(0).versionSchema();
            crashes[0] = new SimulatedCrash.EachStep("backfill");
            crashes[0].untilDone(() -> tandem.backfill(migration.name(), BackfillListener.NONE), step -> oldVersion.run());
            crashes[0] = new SimulatedCrash.EachStep(phase);
            List<String> steps = crashes[0].untilDone(phase.equals("rollback") ? () -> tandem.rollback(migration.name())
                    : () -> tandem.contract(migration.name()), step -> {
                if (phase.equals("rollback")) {
                    oldVersion.run();
                } else {
                    failures.addAll(failures(step, () -> db.executeIn(version, "INSERT INTO orders (qty) VALUES (2)"),
                            () -> db.executeIn(version, "INSERT INTO order_lines (order_id) SELECT MAX(id) FROM orders"),
                            () -> db.executeIn(version, "DELETE FROM orders WHERE id = (SELECT MIN(order_id) FROM order_lines)")));
                }
            });
            assertThat(steps).as(phase + "'s steps").hasSizeGreaterThan(3);
            if (phase.equals("rollback")) {
                assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
            }
        }
        assertThat(failures).as("failed statements").isEmpty();
        assertThat(Catalog.dump(db)).noneMatch(line -> line.contains("_tandem_"));
        assertThat(db.value("SELECT COUNT(*) FROM order_lines l LEFT JOIN orders o ON o.id = l.order_id WHERE o.id IS NULL"))
                .isEqualTo("0");
    }

    /**
     * A unique constraint and a foreign key that alter_column adds to a copied table are the copy's: the key from the
     * start (each row the backfill or the old version's trigger writes is checked), the unique index once the backfill
     * has filled the copy.
     */
    @Test
    void carriesAUniqueConstraintAndAForeignKeyInTheCopy() throws Exception {
        db.execute(KEYED_ITEMS);
        Cycle.on(db).inline("keyed_items", KEYED)
                .whileExpanded((db, v) -> assertThatThrownBy(() -> db.execute(
                        "INSERT INTO items (qty, owner_id, code) VALUES (1, 99, 'x')")).hasMessageContaining("items_owner_id_fkey"))
                .afterBackfill((db, v) -> {
                    for (String version : new String[] {null, v}) {
                        assertThatThrownBy(() -> db.executeIn(version, "INSERT INTO items (qty, owner_id, code) VALUES"
                                + " (1, 1, 'c7')")).hasMessageContaining("Duplicate entry 'c7'");
                        assertThatThrownBy(() -> db.executeIn(version, "UPDATE items SET owner_id = 99 WHERE id = 7"))
                                .hasMessageContaining("items_owner_id_fkey");
                        assertThatThrownBy(() -> db.executeIn(version, "DELETE FROM owners WHERE id = 2"))
                                .hasMessageContaining("FOREIGN KEY");
                    }
                    db.execute("INSERT INTO items (id, qty, owner_id, code) VALUES (5000, 1, 20, 'old')");
                    db.executeIn(v, "INSERT INTO items (id, qty, owner_id, code) VALUES (5001, 1, 20, 'new')");
                    assertThat(db.value(v, "SELECT GROUP_CONCAT(code ORDER BY id) FROM items WHERE id >= 5000"))
                            .isEqualTo("old,new");
                })
                .afterContract((db, v) -> {
                    assertThat(db.rows("SELECT CONCAT(CONSTRAINT_TYPE, ' ', CONSTRAINT_NAME) FROM"
                            + " information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME ="
                            + " 'items' ORDER BY 1")).containsExactly("FOREIGN KEY items_owner_id_fkey",
                            "PRIMARY KEY PRIMARY", "UNIQUE items_code_key");
                    assertThat(db.value("SELECT CONCAT(COUNT(*), '/', COUNT(DISTINCT code)) FROM items")).isEqualTo("1002/1002");
                    assertThatThrownBy(() -> db.executeIn(v, "INSERT INTO items (qty, owner_id, code) VALUES (1, 1, 'c8')"))
                            .hasMessageContaining("Duplicate entry 'c8'");
                })
                .run();
    }

    /** The copy with its unique constraint and foreign key stopped after every step of each phase. */
    @Test
    void aCopyWithAUniqueConstraintAndAForeignKeySurvivesEveryStop() {
        db.execute(KEYED_ITEMS);
        List<String> failures = new ArrayList<>();
        CrashingCycle.run(Examples.inline("keyed_items", KEYED),
                hook -> db.tandem(TandemConfig.builder().schema(db.name()).afterStep(hook)), () -> Catalog.dump(db),
                () -> failures.addAll(failures("old version",
                        () -> db.execute("INSERT INTO items (qty, owner_id, code) VALUES (2, 3, LEFT(UUID(), 20))"),
                        () -> db.execute("UPDATE items SET owner_id = 4 WHERE id = 1"))),
                () -> { },
                v -> failures.addAll(failures("new version",
                        () -> db.executeIn(v, "INSERT INTO items (qty, owner_id, code) VALUES (1, 5, LEFT(UUID(), 20))"),
                        () -> db.executeIn(v, "UPDATE items SET code = LEFT(UUID(), 20) WHERE id = 2"))));
        assertThat(failures).isEmpty();
        assertThat(db.value("SELECT CONCAT(COUNT(*) = COUNT(DISTINCT code), ' ', SUM(owner_id NOT IN (SELECT id FROM"
                + " owners))) FROM items")).isEqualTo("1 0");
        assertThat(Catalog.dump(db)).noneMatch(line -> line.contains("_tandem_"));
    }

    /** Rows that break the new unique constraint fail the backfill, which never skips one; rollback undoes it all. */
    @Test
    void aDuplicateFailsTheBackfillOfTheCopy() {
        db.execute(KEYED_ITEMS);
        db.execute("UPDATE items SET code = 'same' WHERE id IN (3, 4)");
        List<String> before = Catalog.dump(db);
        Migration migration = Examples.inline("keyed_items", KEYED);
        Tandem tandem = db.tandem();
        tandem.expand(migration);
        assertThatThrownBy(() -> tandem.backfill(migration.name(), BackfillListener.NONE))
                .hasMessageContaining("Duplicate entry 'same'");
        tandem.rollback(migration.name());
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
    }

    /**
     * A new column with a check, which MariaDB adds only while it copies the table: the column is the copy's, filled
     * by {@code up} for the rows the backfill copies and those the old version writes, with its NOT NULL and check.
     */
    @Test
    void addsAColumnWithACheckThroughTheCopy() throws Exception {
        db.execute(ITEMS, ROWS);
        Cycle.on(db).inline("graded_items", GRADE)
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO items (id, qty, note) VALUES (5000, 3, 'old')", "DELETE FROM items WHERE id = 5000");
                    assertThat(db.value("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                            + " AND TABLE_NAME = 'items' AND COLUMN_NAME = 'grade'")).isEqualTo("0");
                    // the new shape refuses the old version's row, as a NOT VALID check does on PostgreSQL
                    assertThatThrownBy(() -> db.execute("INSERT INTO items (qty) VALUES (9)"))
                            .hasMessageContaining("items_grade_check");
                })
                .afterBackfill((db, v) -> {
                    db.execute("INSERT INTO items (id, qty, note) VALUES (5001, 4, 'old')");
                    assertThat(db.value(v, "SELECT grade FROM items WHERE id = 5001")).isEqualTo("5");
                    db.executeIn(v, "INSERT INTO items (id, qty, note, grade) VALUES (5002, 1, 'new', 7)");
                    assertThat(db.value("SELECT CONCAT(qty, note) FROM items WHERE id = 5002")).isEqualTo("1new");
                    assertThatThrownBy(() -> db.executeIn(v, "UPDATE items SET grade = 10 WHERE id = 5002"))
                            .hasMessageContaining("items_grade_check");
                    db.execute("UPDATE items SET note = 'kept' WHERE id = 5002");
                    assertThat(db.value(v, "SELECT CONCAT(grade, note) FROM items WHERE id = 5002")).isEqualTo("7kept");
                    db.executeIn(v, "DELETE FROM items WHERE id = 5001");
                    db.execute("DELETE FROM items WHERE id = 5002");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT CONCAT(IS_NULLABLE, ' ', COLUMN_COMMENT) FROM information_schema.COLUMNS"
                            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'grade'"))
                            .isEqualTo("NO Grade of the item");
                    assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(grade)) FROM items")).isEqualTo("1000/4003");
                    assertThatThrownBy(() -> db.executeIn(v, "UPDATE items SET grade = 10 WHERE id = 1"))
                            .hasMessageContaining("items_grade_check");
                })
                .run();
    }

    /** The new column's copy stopped after every step of each phase, each version writing in between. */
    @Test
    void aNewColumnsCopySurvivesEveryStop() {
        db.execute(ITEMS, ROWS);
        List<String> failures = new ArrayList<>();
        CrashingCycle.run(Examples.inline("graded_items", GRADE),
                hook -> db.tandem(TandemConfig.builder().schema(db.name()).afterStep(hook)), () -> Catalog.dump(db),
                () -> failures.addAll(failures("old version", () -> db.execute("INSERT INTO items (qty) VALUES (2)"),
                        () -> db.execute("UPDATE items SET qty = 3 WHERE id = 1"))),
                () -> { },
                v -> failures.addAll(failures("new version", () -> db.executeIn(v, "INSERT INTO items (qty, grade)"
                        + " VALUES (1, 9)"), () -> db.executeIn(v, "UPDATE items SET grade = 8 WHERE id = 2"))));
        assertThat(failures).isEmpty();
        assertThat(db.value("SELECT CONCAT(SUM(grade = 9), '/', MIN(grade), '/', MAX(grade)) FROM items"
                + " WHERE id <> 2")).matches("[1-9][0-9]*/1/9");
        assertThat(Catalog.dump(db)).noneMatch(line -> line.contains("_tandem_"));
    }

    /** A table whose own foreign key refers to it stays in place, and plan says why. */
    @Test
    void aTableThatRefersToItselfIsChangedInPlace() {
        db.execute(ITEMS, "ALTER TABLE items ADD COLUMN parent_id BIGINT, ADD CONSTRAINT items_parent_fk FOREIGN KEY"
                + " (parent_id) REFERENCES items (id)");
        assertThat(db.tandem().plan(Examples.inline("qty_bigint", "alter_column: {table: items, column: qty,"
                + " type: bigint, up: qty, down: qty}")).expand().all()).anyMatch(s -> s.origin().equals(
                "operation 1 (alter_column) [in place: its own foreign key [items_parent_fk] refers to it, and the"
                        + " copy's key would have to refer to the copy while the backfill fills it]"));
    }

    /**
     * A table with triggers of its own stays in place: the copy would not carry them (the new version's writes would
     * not fire them, and the swap would leave them on the original). plan says why; a forced copy is refused.
     */
    @Test
    void aTableWithTriggersOfItsOwnIsChangedInPlace() {
        db.execute(ITEMS, "CREATE TABLE item_log (item_id BIGINT)", "CREATE TRIGGER items_log AFTER UPDATE ON items"
                + " FOR EACH ROW INSERT INTO item_log VALUES (NEW.id)");
        String change = "alter_column: {table: items, column: qty, type: bigint, up: qty, down: qty";
        assertThat(db.tandem().plan(Examples.inline("qty_bigint", change + "}")).expand().all()).anyMatch(s ->
                s.origin().equals("operation 1 (alter_column) [in place: it has triggers of its own [items_log], which"
                        + " the copy would not carry: the new version's writes would not fire them, and the swap would"
                        + " leave them behind]"));
        assertThatThrownBy(() -> db.tandem().plan(Examples.inline("qty_bigint", change + ", strategy: copy}")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("qty_bigint.yaml: operation 1 (alter_column)")
                .hasMessageContaining("'strategy: copy' cannot copy table 'items': it has triggers of its own"
                        + " [items_log]");
    }

    /**
     * A table that a foreign key of another database refers to stays in place: the copy sees only its own database's
     * keys, and one it does not see would stay with the original at the swap.
     */
    @Test
    void aTableOtherDatabasesReferToIsChangedInPlace() {
        String other = db.name() + "_other";
        db.execute(ITEMS, "CREATE DATABASE `" + other + "`", "CREATE TABLE `" + other + "`.lines (item_id BIGINT,"
                + " CONSTRAINT lines_item_fk FOREIGN KEY (item_id) REFERENCES `" + db.name() + "`.items (id))");
        try {
            assertThat(db.tandem().plan(Examples.inline("qty_bigint", "alter_column: {table: items, column: qty,"
                    + " type: bigint, up: qty, down: qty}")).expand().all()).anyMatch(s -> s.origin().equals(
                    "operation 1 (alter_column) [in place: foreign key(s) [" + other + ".lines.lines_item_fk] of another"
                            + " database refer to it, which the copy does not see: they would stay with the original"
                            + " at the swap]"));
        } finally {
            db.execute("DROP DATABASE `" + other + "`");
        }
    }

    /**
     * A check's new name, which MariaDB gives only by dropping the check and adding it again (checking every row
     * behind a write lock): the copy has it from expand, and the swap brings it; each version meets its own name.
     */
    @Test
    void renamesACheckThroughTheCopy() throws Exception {
        String rename = "rename_constraint: {table: items, from: items_qty_small, to: items_qty_below_100}";
        Cycle.on(db).setup(ITEMS, ROWS, "ALTER TABLE items ADD CONSTRAINT items_qty_small CHECK (qty < 100)")
                .inline("check_name", rename)
                .afterBackfill((db, v) -> {
                    db.execute("INSERT INTO items (qty, note) VALUES (5, 'old')");
                    db.executeIn(v, "INSERT INTO items (qty, note) VALUES (6, 'new')");
                    assertThatThrownBy(() -> db.execute("INSERT INTO items (qty) VALUES (500)"))
                            .hasMessageContaining("items_qty_small");
                    assertThatThrownBy(() -> db.executeIn(v, "UPDATE items SET qty = 500 WHERE id = 1"))
                            .hasMessageContaining("items_qty_below_100");
                })
                .afterContract((db, v) -> {
                    assertThat(db.rows("SELECT CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS"
                            + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'items'"))
                            .containsExactly("items_qty_below_100");
                    assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(qty)) FROM items")).isEqualTo("1002/3014");
                })
                .run();
        assertThat(db.tandem().plan(Examples.inline("check_name_again", "rename_constraint: {table: items,"
                + " from: items_qty_below_100, to: items_qty_small}")).expand().all()).anyMatch(s -> s.origin()
                .startsWith("operation 1 (rename_constraint) [table copy:"));
    }

    /**
     * INT → BIGINT of an AUTO_INCREMENT key about to run out, the change people run gh-ost for: the copy's key is a
     * BIGINT AUTO_INCREMENT from expand; both versions insert meanwhile, taking keys from the table's counter; after
     * the swap the table counts on from where it was, in BIGINT.
     */
    @Test
    void widensAnAutoIncrementKeyThroughTheCopy() throws Exception {
        Cycle.on(db).setup("CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(20))",
                        "INSERT INTO events (note) SELECT CONCAT('e', seq) FROM seq_1_to_1000",
                        "DELETE FROM events WHERE id > 990")
                .inline("event_ids", "alter_column: {table: events, column: id, type: bigint, up: id, down: id}")
                .afterBackfill((db, v) -> {
                    db.execute("INSERT INTO events (note) VALUES ('old')");
                    db.executeIn(v, "INSERT INTO events (note) VALUES ('new')");
                    // one counter: the two inserts took two keys in a row, and each shape has both
                    String rows = "SELECT CONCAT(GROUP_CONCAT(note ORDER BY id), ' ', MAX(id) - MIN(id), ' ', MAX(id))"
                            + " FROM events WHERE id > 990";
                    String last = db.value("SELECT MAX(id) FROM events");
                    assertThat(db.value(rows)).isEqualTo("old,new 1 " + last);
                    assertThat(db.value(v, rows)).isEqualTo("old,new 1 " + last);
                    // a key only the new type holds cannot reach the old version: refused, not lost
                    assertThatThrownBy(() -> db.executeIn(v, "INSERT INTO events (id, note) VALUES (5000000000, 'x')"))
                            .hasMessageContaining("id");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT CONCAT(COLUMN_TYPE, ' ', EXTRA) FROM information_schema.COLUMNS"
                            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events' AND COLUMN_NAME = 'id'"))
                            .isEqualTo("bigint(20) auto_increment");
                    db.execute("INSERT INTO events (note) VALUES ('after')");
                    // the refused insert's key moved the copy's counter on, as a failed insert does in InnoDB
                    assertThat(db.value("SELECT (SELECT id FROM events WHERE note = 'after')"
                            + " > (SELECT id FROM events WHERE note = 'new')")).isEqualTo("1");
                    db.execute("INSERT INTO events (id, note) VALUES (5000000000, 'big')");
                    assertThat(db.value("SELECT COUNT(*) FROM events")).isEqualTo("994");
                })
                .run();
        // AUTO_INCREMENT counts only in integers: not copied, and refused in place
        assertThatThrownBy(() -> db.tandem().plan(Examples.inline("event_ids_text", "alter_column: {table: events,"
                + " column: id, type: varchar(20), up: id, down: id}"))).hasMessageContaining("AUTO_INCREMENT");
    }

    /**
     * A copy without an AUTO_INCREMENT column is split into key ranges, which several workers copy at once; one with
     * such a column stays one range, as its batches cannot overlap (each holds the copy's AUTO_INCREMENT lock).
     */
    @Test
    void aCopyWithoutAutoIncrementIsCopiedBySeveralWorkers() {
        db.execute("CREATE TABLE codes (code VARCHAR(20) PRIMARY KEY, qty INT)",
                "INSERT INTO codes SELECT CONCAT('c', seq), seq % 7 FROM seq_1_to_5000", ITEMS, ROWS);
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).workers(2).rangeRows(500));
        tandem.expand(Examples.inline("wider", "alter_column: {table: codes, column: qty, type: bigint, up: qty,"
                + " down: qty}", "alter_column: {table: items, column: qty, type: bigint, up: qty, down: qty}"));

        tandem.backfill("wider", BackfillListener.NONE);

        Map<String, BackfillProgress> progress = tandem.status().get(0).backfill().stream()
                .collect(Collectors.toMap(BackfillProgress::table, p -> p));
        assertThat(progress.get("codes").ranges()).isGreaterThan(1);
        assertThat(progress.get("codes").rangesDone()).isEqualTo(progress.get("codes").ranges());
        assertThat(progress.get("codes").rowsDone()).isEqualTo(5000);
        assertThat(progress.get("items").ranges()).isEqualTo(1);
        tandem.contract("wider");
        assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(qty)) FROM codes")).isEqualTo("5000/14997");
    }

    /**
     * Generated columns compute themselves in the table and in the copy: neither the copy nor its triggers write them
     * (MariaDB refuses a value for one, error 1906, which failed every insert of the old version after expand).
     */
    @Test
    void copiesATableWithGeneratedColumns() throws Exception {
        Cycle.on(db).setup("CREATE TABLE parts (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT, price DECIMAL(10,2),"
                        + " total DECIMAL(12,2) AS (qty * price) STORED, label VARCHAR(20) AS (CONCAT('q', qty)) VIRTUAL)",
                        "INSERT INTO parts (qty, price) SELECT seq, 1.5 FROM seq_1_to_1000")
                .inline("qty_bigint", "alter_column: {table: parts, column: qty, type: bigint, up: qty, down: qty}")
                .whileExpanded((db, v) -> db.execute("INSERT INTO parts (qty, price) VALUES (6, 2)",
                        "UPDATE parts SET qty = 7 WHERE id = 1", "DELETE FROM parts WHERE qty = 6"))
                .afterBackfill((db, v) -> {
                    db.execute("INSERT INTO parts (id, qty, price) VALUES (5000, 6, 2)");
                    db.executeIn(v, "INSERT INTO parts (id, qty, price) VALUES (5001, 5, 2)",
                            "UPDATE parts SET price = 3 WHERE id = 2");
                    String rows = "SELECT GROUP_CONCAT(id, '=', total, '/', label ORDER BY id) FROM parts"
                            + " WHERE id IN (1, 2, 5000, 5001)";
                    assertThat(db.value(rows)).isEqualTo("1=10.50/q7,2=6.00/q2,5000=12.00/q6,5001=10.00/q5");
                    assertThat(db.value(v, rows)).isEqualTo("1=10.50/q7,2=6.00/q2,5000=12.00/q6,5001=10.00/q5");
                })
                .afterContract((db, v) -> assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(total = qty * price),"
                        + " '/', SUM(label = CONCAT('q', qty))) FROM parts")).isEqualTo("1001/1001/1001"))
                .run();
    }

    /**
     * The copy's MODIFY states the column anew: what Tandem's column model does not hold was dropped with it. A
     * widened {@code utf8mb4_bin} column took the table's case-insensitive collation, so its unique index refused
     * 'hello' beside 'Hello' and the copy skipped that row (contract then refused the copy); the comment, INVISIBLE,
     * ON UPDATE CURRENT_TIMESTAMP and a column-level check were lost at the swap.
     */
    @Test
    void aCopiedColumnKeepsItsCollationCommentAndAttributes() throws Exception {
        Cycle.on(db).setup("CREATE TABLE events (id BIGINT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(100) CHARACTER SET"
                                + " utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' COMMENT 'case matters',"
                                + " qty INT NOT NULL DEFAULT 0 CHECK (qty >= 0), secret VARCHAR(10) INVISIBLE,"
                                + " touched TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
                                + " UNIQUE KEY events_title (title)) DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_general_ci",
                        "INSERT INTO events (title, qty, secret) VALUES ('Hello', 1, 's'), ('hello', 2, NULL)")
                .inline("widen", "alter_column: {table: events, column: title, type: varchar(255), up: title,"
                                + " down: 'LEFT(title, 100)'}",
                        "alter_column: {table: events, column: qty, type: bigint, up: qty, down: qty}",
                        "alter_column: {table: events, column: secret, type: varchar(20), up: secret,"
                                + " down: 'LEFT(secret, 10)'}",
                        "alter_column: {table: events, column: touched, type: timestamp(3), up: touched, down: touched}")
                .afterBackfill((db, v) -> {
                    db.execute("INSERT INTO events (title, qty) VALUES ('HELLO', 3)");
                    db.executeIn(v, "INSERT INTO events (title, qty) VALUES ('hellO', 4)");
                    assertThat(db.value(v, "SELECT COUNT(*) FROM events")).isEqualTo("4");
                    assertThatThrownBy(() -> db.executeIn(v, "UPDATE events SET qty = -1 WHERE title = 'hellO'"))
                            .hasMessageContaining("qty");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT GROUP_CONCAT(title ORDER BY id) FROM events"))
                            .isEqualTo("Hello,hello,HELLO,hellO");
                    assertThat(db.value("SELECT GROUP_CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IFNULL(COLLATION_NAME,"
                            + " '-'), ' ', EXTRA, ' ', COLUMN_COMMENT ORDER BY ORDINAL_POSITION SEPARATOR '; ')"
                            + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events'"
                            + " AND COLUMN_NAME <> 'id'")).isEqualTo("title varchar(255) utf8mb4_bin  case matters;"
                            + " qty bigint(20) -  ; secret varchar(20) utf8mb4_general_ci INVISIBLE ;"
                            + " touched timestamp(3) - on update current_timestamp(3) ");
                    assertThat(db.value("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE"
                            + " CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'events'")).isEqualTo("`qty` >= 0");
                })
                .run();
    }

    /**
     * MariaDB adds no column INSTANTly to a table with a FULLTEXT index (error 1845; in place only by rebuilding it
     * behind a lock), so expand failed: the new column goes through the copy, which carries the index.
     */
    @Test
    void addsAColumnToATableWithAFullTextIndexThroughTheCopy() throws Exception {
        Cycle.on(db).setup("CREATE TABLE articles (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200), body TEXT,"
                                + " FULLTEXT KEY articles_text (title, body))",
                        "INSERT INTO articles (title, body) VALUES ('apple pie', 'baking'), ('car repair', 'engine oil')")
                .inline("add_slug", "add_column: {table: articles, column: {name: slug, type: varchar(200)},"
                        + " up: \"LOWER(REPLACE(title, ' ', '-'))\"}")
                .whileExpanded((db, v) -> db.execute("UPDATE articles SET title = 'apple tart' WHERE id = 1"))
                .afterBackfill((db, v) -> {
                    db.execute("INSERT INTO articles (id, title, body) VALUES (10, 'Old Post', 'old body')");
                    db.executeIn(v, "INSERT INTO articles (id, title, body, slug) VALUES (11, 'New Post', 'new', 'np')");
                    assertThat(db.value(v, "SELECT GROUP_CONCAT(slug ORDER BY id) FROM articles"))
                            .isEqualTo("apple-tart,car-repair,old-post,np");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT GROUP_CONCAT(id ORDER BY id) FROM articles"
                            + " WHERE MATCH (title, body) AGAINST ('apple new')")).isEqualTo("1,11");
                    assertThat(db.value("SELECT GROUP_CONCAT(slug ORDER BY id) FROM articles"))
                            .isEqualTo("apple-tart,car-repair,old-post,np");
                })
                .run();
    }

    /**
     * A value added to an ENUM's or a SET's list, the change people make most to such columns: the type names its
     * values (it was "not a type name"). A value only the new list has reaches the old version through {@code down}.
     */
    @Test
    void addsAValueToAnEnumAndASet() throws Exception {
        Cycle.on(db).setup("CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, status ENUM('new', 'paid')"
                                + " NOT NULL DEFAULT 'new', flags SET('gift', 'rush') NOT NULL DEFAULT '')",
                        "INSERT INTO orders (status, flags) VALUES ('new', 'gift'), ('paid', 'gift,rush')")
                .inline("cancellable", "alter_column: {table: orders, column: status,"
                                + " type: \"enum('new', 'paid', 'it''s cancelled')\", up: status,"
                                + " down: \"IF(status = 'it''s cancelled', 'new', status)\"}",
                        "alter_column: {table: orders, column: flags, type: \"set('gift','rush','fragile')\","
                                + " up: flags, down: \"TRIM(BOTH ',' FROM REPLACE(flags, 'fragile', ''))\"}")
                .afterBackfill((db, v) -> {
                    db.executeIn(v, "INSERT INTO orders (id, status, flags) VALUES (10, 'it''s cancelled', 'gift,fragile')",
                            "UPDATE orders SET status = 'it''s cancelled' WHERE id = 1");
                    db.execute("INSERT INTO orders (id, status, flags) VALUES (11, 'paid', 'rush')");
                    assertThat(db.value("SELECT GROUP_CONCAT(id, status, '/', flags ORDER BY id) FROM orders"))
                            .isEqualTo("1new/gift,2paid/gift,rush,10new/gift,11paid/rush");
                })
                .afterContract((db, v) -> {
                    assertThat(db.value("SELECT GROUP_CONCAT(id, status, '/', flags ORDER BY id) FROM orders"))
                            .isEqualTo("1it's cancelled/gift,2paid/gift,rush,10it's cancelled/gift,fragile,11paid/rush");
                    assertThat(db.value("SELECT GROUP_CONCAT(COLUMN_TYPE ORDER BY ORDINAL_POSITION) FROM"
                            + " information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders'"
                            + " AND COLUMN_NAME <> 'id'")).isEqualTo("enum('new','paid','it''s cancelled'),"
                            + "set('gift','rush','fragile')");
                })
                .run();
    }

    /**
     * A new {@code created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP}: in place, contract's NOT NULL failed on
     * every run ("cannot convert NULL to non-constant DEFAULT"); through the copy the column is NOT NULL from the start
     * and keeps its default, for the new version's inserts and after the swap.
     */
    @Test
    void addsANotNullTimestampDefaultingToNowThroughTheCopy() throws Exception {
        Cycle.on(db).setup(ITEMS, ROWS)
                .inline("created_at", "add_column: {table: items, column: {name: created_at, type: timestamp,"
                        + " nullable: false, default: CURRENT_TIMESTAMP}}")
                .afterBackfill((db, v) -> {
                    db.execute("INSERT INTO items (id, qty) VALUES (5000, 1)");
                    db.executeIn(v, "INSERT INTO items (id, qty) VALUES (5001, 2)");
                })
                .afterContract((db, v) -> {
                    db.executeIn(v, "INSERT INTO items (id, qty) VALUES (5002, 3)");
                    assertThat(db.value("SELECT CONCAT(COUNT(*), '/', COUNT(created_at)) FROM items")).isEqualTo("1003/1003");
                    assertThat(db.value("SELECT CONCAT(IS_NULLABLE, ' ', COLUMN_DEFAULT) FROM information_schema.COLUMNS"
                            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'created_at'"))
                            .isEqualTo("NO current_timestamp()");
                })
                .run();
    }

    /** Each statement's failure, named with the step after which it ran. */
    private static List<String> failures(String step, Runnable... statements) {
        List<String> failures = new ArrayList<>();
        for (Runnable statement : statements) {
            try {
                statement.run();
            } catch (IllegalStateException e) {
                failures.add("after " + step + ": " + e.getMessage());
            }
        }
        return failures;
    }
}
