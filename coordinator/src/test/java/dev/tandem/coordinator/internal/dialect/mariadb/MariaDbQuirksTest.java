package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.engine.PlanBuilder;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What MariaDB does its own way: JSON, isolation variables, case of names, quoting. */
class MariaDbQuirksTest {
    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    private String columnType(String table, String column) {
        return db.value("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = '" + table + "' AND COLUMN_NAME = '" + column + "'");
    }

    private CatalogSnapshot.Table snapshotOf(String table) throws Exception {
        try (Connection c = db.connect()) {
            return new MariaDbCatalog(c, db.name()).read().tables().stream().filter(t -> t.name().equals(table))
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void jsonColumnsAreReadAsJsonWithoutTheirCheckAndChangeBothWays() throws Exception {
        Cycle<MariaDbTestDatabase> cycle = Cycle.onMariaDbShop(db);
        db.execute("ALTER TABLE customers ADD COLUMN settings JSON", "UPDATE customers SET settings = '{\"a\": 1}'");
        CatalogSnapshot.Table customers = snapshotOf("customers");
        assertThat(customers.columns()).filteredOn(c -> c.name().equals("settings"))
                .extracting(CatalogSnapshot.Column::type).containsExactly("json");
        assertThat(customers.constraints()).extracting(CatalogSnapshot.Constraint::name).doesNotContain("settings");
        cycle.inline("json_columns",
                        "add_column: {table: orders, column: {name: details, type: jsonb},"
                                + " up: \"JSON_OBJECT('note', note)\"}",
                        "alter_column: {table: orders, column: legacy_code, type: json,"
                                + " up: \"JSON_QUOTE(legacy_code)\", down: \"JSON_UNQUOTE(legacy_code)\","
                                + " strategy: in_place}",
                        "alter_column: {table: customers, column: settings, type: text, up: settings, down: settings,"
                                + " strategy: in_place}")
                .whileExpanded((db, v) -> {
                    db.execute("INSERT INTO orders (customer_id, note, legacy_code) VALUES (1, 'n', 'X1')");
                    assertThat(db.value(v, "SELECT CONCAT(details, ' ', legacy_code) FROM orders WHERE legacy_code = '\"X1\"'"))
                            .isEqualTo("{\"note\": \"n\"} \"X1\"");
                    db.executeIn(v, "UPDATE orders SET legacy_code = '\"X2\"' WHERE id = 1");
                    assertThat(db.value("SELECT legacy_code FROM orders WHERE id = 1")).isEqualTo("X2");
                    // the new version's JSON column refuses what is not JSON
                    assertThatThrownBy(() -> db.executeIn(v, "UPDATE orders SET legacy_code = 'not json' WHERE id = 1"))
                            .hasMessageContaining("CONSTRAINT");
                    db.execute("DELETE FROM orders WHERE id > 2500", "UPDATE orders SET legacy_code = 'L1' WHERE id = 1");
                })
                .afterContract((db, v) -> {
                    assertThat(List.of(columnType("orders", "details"), columnType("orders", "legacy_code"),
                            columnType("customers", "settings"))).containsExactly("longtext", "longtext", "text");
                    assertThat(db.rows("SELECT CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS"
                            + " WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY 1")).containsExactly("details", "legacy_code");
                    assertThat(db.value("SELECT legacy_code FROM orders WHERE id = 1")).isEqualTo("\"L1\"");
                    assertThat(db.value("SELECT settings FROM customers WHERE id = 1")).isEqualTo("{\"a\": 1}");
                    assertThat(snapshotOf("orders").columns()).filteredOn(c -> c.name().equals("legacy_code"))
                            .extracting(CatalogSnapshot.Column::type).containsExactly("json");
                })
                .run();
    }

    @Test
    void serverIsDetectedFromItsVersionWithItsIsolationVariableAndNameCase() throws Exception {
        try (Connection c = db.connect()) {
            MySqlServer server = MySqlServer.detect(c);
            assertThat(server.mariaDb()).isTrue();
            assertThat(server.atLeast(10, 5, 0)).isTrue();
            assertThat(server.unsupportedReason()).isNull();
            assertThat(server.isolationVariable()).isEqualTo(server.atLeast(11, 1, 0) ? "transaction_isolation"
                    : "tx_isolation");
            assertThat(server.lowerCaseTableNames()).isEqualTo(Integer.parseInt(db.value("SELECT @@lower_case_table_names")));
            assertThat(MariaDbDialect.forSession(c).batchStatements().markTransaction())
                    .contains("SESSION " + server.isolationVariable() + " = IF(");
        }
        // as MySQL's Connector/J reports MariaDB, and as MySQL reports itself
        MySqlServer viaConnectorJ = MySqlServer.parse("5.5.5-10.11.6-MariaDB-0+deb12u1", 0, "tx_isolation");
        assertThat(List.of(viaConnectorJ.mariaDb(), viaConnectorJ.major(), viaConnectorJ.minor()))
                .containsExactly(true, 10, 11);
        MySqlServer mysql = MySqlServer.parse("8.0.36", 1, "transaction_isolation");
        assertThat(mysql.mariaDb()).isFalse();
        assertThat(mysql.tableNamesIgnoreCase()).isTrue();
        assertThat(mysql.unsupportedReason()).startsWith("MySQL 8.0.36 is not supported yet");
        assertThat(MySqlServer.parse("10.4.30-MariaDB", 0, "tx_isolation").unsupportedReason())
                .contains("older than 10.5");
    }

    @Test
    void mixedCaseTablesGoThroughAFullCycleAndNamesDifferingInCaseOnlyAreRefused() throws Exception {
        Cycle<MariaDbTestDatabase> cycle = Cycle.onMariaDbShop(db);
        db.execute("CREATE TABLE OrderLines (Id BIGINT AUTO_INCREMENT PRIMARY KEY, OrderId BIGINT, Amount INT)",
                "INSERT INTO OrderLines (OrderId, Amount) SELECT seq, seq * 10 FROM seq_1_to_100");
        Cycle.on(db).migration(Examples.inline("amount_again",
                        "add_column: {table: OrderLines, column: {name: amount, type: bigint}, up: Amount}")).refused(
                "amount_again.yaml: operation 1 (add_column)",
                "columns 'Amount' and 'amount' of table 'OrderLines' differ only in case");
        if (db.value("SELECT @@lower_case_table_names").equals("0")) {
            Cycle.on(db).migration(Examples.inline("lower", "add_column: {table: orderlines,"
                    + " column: {name: Note, type: text}}")).refused("table 'orderlines' does not exist");
        }
        cycle.inline("widen_amount",
                        "alter_column: {table: OrderLines, column: Amount, type: bigint, up: Amount, down: Amount}",
                        "rename_column: {table: OrderLines, from: OrderId, to: OrderRef}")
                .whileExpanded((db, v) -> {
                    db.execute("UPDATE OrderLines SET Amount = 7 WHERE Id = 1");
                    assertThat(db.value(v, "SELECT CONCAT(OrderRef, ':', Amount) FROM OrderLines WHERE Id = 1"))
                            .isEqualTo("1:7");
                    db.executeIn(v, "UPDATE OrderLines SET Amount = 123 WHERE Id = 2");
                    assertThat(db.value("SELECT Amount FROM OrderLines WHERE Id = 2")).isEqualTo("123");
                    db.execute("UPDATE OrderLines SET Amount = 10 WHERE Id = 1", "UPDATE OrderLines SET Amount = 20 WHERE Id = 2");
                })
                .afterContract((db, v) -> {
                    assertThat(columnType("OrderLines", "Amount")).isEqualTo("bigint(20)");
                    assertThat(db.value("SELECT SUM(Amount) FROM OrderLines WHERE OrderRef <= 3")).isEqualTo("60");
                })
                .run();
    }

    @Test
    void tableNamesDifferingInCaseOnlyAreRefusedWhereTheServerFoldsThem() throws Exception {
        db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY)");
        CatalogSnapshot snapshot;
        try (Connection c = db.connect()) {
            snapshot = new MariaDbCatalog(c, db.name()).read();
        }
        String createOrders = "create_table: {table: Orders, columns: [{name: id, type: bigint, primary_key: true}]}";
        MariaDbDialect folding = new MariaDbDialect(MySqlServer.parse("10.11.6-MariaDB", 1, "tx_isolation"));
        assertThatThrownBy(() -> new PlanBuilder(folding, Examples.inline("orders_again", createOrders), snapshot,
                "tandem", null)).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("orders_again.yaml: operation 1 (create_table)")
                .hasMessageContaining("tables 'orders' and 'Orders' differ only in case");
        MariaDbDialect exact = new MariaDbDialect(MySqlServer.parse("10.11.6-MariaDB", 0, "tx_isolation"));
        assertThat(new PlanBuilder(exact, Examples.inline("orders_again", createOrders), snapshot, "tandem", null)
                .end().table("Orders")).isPresent();
    }

    /**
     * A shadow column keeps the original's character set, collation, comment and INVISIBLE: with the table's
     * case-insensitive collation instead of utf8mb4_bin, the shadow's unique index refused 'hello' beside 'Hello', so
     * after expand the old version's updates of such rows failed (1062), and so did the backfill.
     */
    @Test
    void aShadowColumnKeepsTheCollationOfItsOriginal() throws Exception {
        Cycle.on(db).setup("CREATE TABLE events (id BIGINT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(100) CHARACTER SET"
                                + " utf8mb4 COLLATE utf8mb4_bin NOT NULL COMMENT 'case matters', qty INT,"
                                + " secret VARCHAR(10) INVISIBLE, UNIQUE KEY events_title (title))"
                                + " DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_general_ci",
                        "INSERT INTO events (title, qty, secret) VALUES ('Hello', 1, 's'), ('hello', 2, NULL)")
                .inline("widen", "alter_column: {table: events, column: title, type: varchar(255), up: title,"
                                + " down: 'LEFT(title, 100)', strategy: in_place}",
                        "alter_column: {table: events, column: secret, type: varchar(20), up: secret,"
                                + " down: 'LEFT(secret, 10)', strategy: in_place}")
                .whileExpanded((db, v) -> {
                    db.execute("UPDATE events SET qty = qty + 1", "INSERT INTO events (title) VALUES ('HELLO')");
                    db.executeIn(v, "INSERT INTO events (title) VALUES ('hellO')");
                    assertThat(db.value(v, "SELECT GROUP_CONCAT(title ORDER BY id) FROM events"))
                            .isEqualTo("Hello,hello,HELLO,hellO");
                    db.execute("DELETE FROM events WHERE id > 2"); // the check runs again after a rollback
                })
                .afterContract((db, v) -> assertThat(db.value("SELECT GROUP_CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ',"
                        + " COLLATION_NAME, ' ', EXTRA, ' ', COLUMN_COMMENT ORDER BY ORDINAL_POSITION SEPARATOR '; ')"
                        + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events'"
                        + " AND COLUMN_NAME IN ('title', 'secret')")).isEqualTo("title varchar(255) utf8mb4_bin  case"
                        + " matters; secret varchar(20) utf8mb4_general_ci INVISIBLE "))
                .run();
    }

    /**
     * The new version uses its version database only, which held views of the tables alone: the database's own views
     * and system-versioned tables were not there (1146 on every statement of the new version that used one). They are
     * shown as they are (a view that no longer works is left out instead of failing expand).
     */
    @Test
    void theDatabasesViewsAndSystemVersionedTablesAreReachedFromTheVersionDatabase() throws Exception {
        Cycle.on(db).setup("CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, qty INT)",
                        "INSERT INTO orders (qty) VALUES (1), (2)",
                        "CREATE TABLE prices (id INT PRIMARY KEY, amount DECIMAL(10, 2)) WITH SYSTEM VERSIONING",
                        "INSERT INTO prices VALUES (1, 9.99)",
                        "CREATE VIEW big_orders AS SELECT id, qty FROM orders WHERE qty > 1",
                        "CREATE VIEW order_count AS SELECT COUNT(*) AS n FROM orders",
                        "CREATE TABLE scratch (a INT, b INT)", "CREATE VIEW broken AS SELECT a, b FROM scratch",
                        "ALTER TABLE scratch DROP COLUMN b")
                .inline("add_note", "add_column: {table: orders, column: {name: note, type: varchar(20)}}")
                .whileExpanded((db, v) -> {
                    db.executeIn(v, "UPDATE big_orders SET qty = qty + 10 WHERE id = 2",
                            "INSERT INTO prices VALUES (2, 1.5)", "DELETE FROM prices WHERE id = 2",
                            "UPDATE big_orders SET qty = qty - 10 WHERE id = 2");
                    assertThat(db.value(v, "SELECT CONCAT((SELECT n FROM order_count), '/',"
                            + " (SELECT SUM(qty) FROM big_orders), '/', (SELECT amount FROM prices))")).isEqualTo("2/2/9.99");
                })
                .afterContract((db, v) -> assertThat(db.value(v, "SELECT n FROM order_count")).isEqualTo("2"))
                .run();
    }

    @Test
    void aSystemVersionedTableIsRefusedAsTheSubjectOfAnOperation() {
        Cycle.on(db).setup("CREATE TABLE prices (id INT PRIMARY KEY, amount DECIMAL(10, 2)) WITH SYSTEM VERSIONING")
                .migration(Examples.inline("price_note", "add_column: {table: prices, column: {name: note,"
                        + " type: varchar(20)}}")).refused("price_note.yaml: operation 1 (add_column): table 'prices'"
                        + " cannot be changed: it is system-versioned");
    }
}
