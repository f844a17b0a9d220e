package dev.tandem.coordinator.internal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbScratch;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.verify.DatabaseLogin;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.ScratchServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The round trip on a MariaDB scratch database: the same checks as on PostgreSQL, as MariaDB's sessions see them. */
class MariaDbRoundTripTest {
    private static final String SERVER = System.getenv()
            .getOrDefault("TANDEM_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/?user=root");

    private static final List<QueryFile> OLD_APP = List.of(new QueryFile("old/orders.sql",
            "SELECT id, note FROM orders WHERE customer_id = 1;\n"
                    + "INSERT INTO orders (customer_id, note) VALUES (1, 'ring twice');\n"
                    + "SELECT sku, legacy_code FROM products;"));

    private final ScratchServer server = ScratchServer.on(new DatabaseLogin(SERVER, null, null));
    private DataSource database;

    @AfterEach
    void dropScratch() {
        server.close();
    }

    private RoundTrip onShop() {
        database = server.newDatabase();
        RoundTrip roundTrip = new RoundTrip(database);
        roundTrip.setup("shop-mariadb.sql", String.join(";\n", Examples.schema("shop-mariadb.sql")));
        return roundTrip;
    }

    @Test
    void aRenameThroughTheOperationKeepsBothVersionsWorking() throws SQLException {
        List<QueryFile> newApp = List.of(new QueryFile("new/orders.sql",
                "SELECT id, customer_note FROM orders;\nUPDATE orders SET customer_note = 'x' WHERE id = 1"));
        assertThat(onShop().verify(Examples.migration("rename_column.yaml"), OLD_APP, newApp)).isEmpty();
        assertThat(value("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'customer_note'"))
                .as("the migration is left contracted").isEqualTo("1");
        assertThat(value("SELECT COUNT(*) FROM orders WHERE customer_note IN ('ring twice', 'x')"))
                .as("the application's statements were rolled back").isEqualTo("0");
    }

    @Test
    void aNewNotNullColumnWithoutDefaultBreaksTheOldInsertAndNamesIt() {
        List<Finding> findings = onShop().verify(Examples.inline("raw_priority",
                "sql: {phase: expand, sql: 'ALTER TABLE orders ADD COLUMN priority int NOT NULL',"
                        + " rollback: 'ALTER TABLE orders DROP COLUMN priority'}"), OLD_APP, List.of());
        assertThat(findings).filteredOn(finding -> finding.ruleId().equals("TDM303")).singleElement()
                .satisfies(finding -> {
                    assertThat(finding.file()).isEqualTo("old/orders.sql");
                    assertThat(finding.line()).isEqualTo(2);
                    assertThat(finding.operation()).isEqualTo("raw_priority operation 1 (sql)");
                    assertThat(finding.message()).startsWith("database " + schema() + ": ")
                            .contains("priority").contains("broken by raw_priority.yaml");
                });
    }

    @Test
    void aRollbackThatLeavesAnIndexBehindIsCaught() {
        List<Finding> findings = onShop().verify(Examples.inline("leaky_rollback",
                "sql: {phase: expand, sql: 'CREATE INDEX orders_note_idx ON orders (note(20))', rollback: 'DO 0'}"),
                List.of(), List.of());
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("TDM301");
            assertThat(finding.message()).contains("left behind: [index " + schema() + " orders orders_note_idx");
        });
    }

    @Test
    void aRollbackThatRestoresAColumnDifferentlyIsCaught() {
        List<Finding> findings = onShop().verify(Examples.inline("lossy_rollback",
                "sql: {phase: expand, sql: 'ALTER TABLE products MODIFY legacy_code varchar(80)',"
                        + " rollback: 'ALTER TABLE products MODIFY legacy_code varchar(60)'}"), List.of(), List.of());
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("TDM301");
            assertThat(finding.message()).contains("legacy_code varchar(40)").contains("legacy_code varchar(60)");
        });
    }

    /** As performance_schema's digests record statements: names in backticks, constants as '?', lists as (...). */
    private static final Capture OLD_DIGESTS = Capture.read("old.csv", "queryid,calls,query\n"
            + "a1,40,\"SELECT `id` , `note` FROM `orders` WHERE `customer_id` = ?\"\n"
            + "a2,3,\"INSERT INTO `orders` ( `customer_id` , `note` ) VALUES (?, ?)\"\n"
            + "a3,9,\"SELECT `sku` , `legacy_code` FROM `products` WHERE `id` = ?\"\n"
            + "a4,2,\"SELECT `id` FROM `orders` WHERE `status` IN (...)\"\n");

    @Test
    void capturedStatementsArePreparedAsEachVersion() {
        RoundTrip roundTrip = onShop();
        AppStatements old = new AppStatements(List.of(), List.of(OLD_DIGESTS));
        AppStatements renamed = new AppStatements(List.of(), List.of(Capture.read("new.csv",
                "queryid,query\nb1,SELECT `customer_note` FROM `orders` WHERE `id` = ?\n")));
        assertThat(roundTrip.verify(Examples.migration("rename_column.yaml"), old, renamed)).isEmpty();
    }

    /** A column of the same name in a joined table makes the old version's reference to it ambiguous. */
    @Test
    void aCapturedStatementBrokenByExpandNamesItsDigest() {
        Capture joined = Capture.read("old.csv", "queryid,query\n\"c1\",\"SELECT `title` FROM `orders` JOIN"
                + " `products` ON `products` . `id` = `orders` . `product_id` WHERE `orders` . `id` = ?\"\n");
        List<Finding> findings = onShop().verify(Examples.inline("raw_title",
                "sql: {phase: expand, sql: 'ALTER TABLE orders ADD COLUMN title varchar(200)',"
                        + " rollback: 'ALTER TABLE orders DROP COLUMN title'}"),
                new AppStatements(List.of(), List.of(joined)), AppStatements.NONE);
        assertThat(findings).filteredOn(finding -> finding.ruleId().equals("TDM303")).singleElement()
                .satisfies(finding -> {
                    assertThat(finding.file()).isEqualTo("old.csv");
                    assertThat(finding.line()).isEqualTo(2);
                    assertThat(finding.message()).startsWith("queryid c1: database " + schema() + ": ")
                            .contains("ambiguous");
                    assertThat(finding.operation()).isEqualTo("raw_title operation 1 (sql)");
                });
    }

    /** After an applied migration the old version is its version database, where the column has its new name. */
    @Test
    void oldQueriesRunAsTheVersionOfTheLastAppliedMigration() {
        RoundTrip roundTrip = onShop();
        roundTrip.apply(Examples.migration("rename_column.yaml"));
        List<QueryFile> old = List.of(new QueryFile("old.sql", "SELECT customer_note FROM orders"));
        assertThat(roundTrip.verify(Examples.migration("drop_index.yaml"), old, old)).isEmpty();
    }

    @Test
    void contractReachesTheSchemaEachExampleDeclares() {
        for (String example : List.of("alter_column_drop_not_null.yaml", "alter_column_indexed.yaml",
                "alter_column_set_not_null.yaml", "alter_column_unique.yaml", "drop_constraint.yaml", "drop_index.yaml",
                "drop_table.yaml", "product_listing.yaml", "rename_column.yaml", "rename_constraint.yaml",
                "rename_table.yaml")) {
            try (ScratchServer fresh = ScratchServer.on(new DatabaseLogin(SERVER, null, null))) {
                RoundTrip roundTrip = new RoundTrip(fresh.newDatabase());
                roundTrip.setup("shop-mariadb.sql", String.join(";\n", Examples.schema("shop-mariadb.sql")));
                assertThat(roundTrip.verify(Examples.migration(example), List.of(), List.of())).as(example).isEmpty();
            }
        }
    }

    /** What Tandem cannot do online on MariaDB fails expand with its reason before anything changes: no silent pass. */
    @Test
    void whatMariaDbRefusesIsAFindingWithTheReason() {
        List<Finding> findings = onShop().verify(Examples.inline("open_orders",
                "create_index: {name: orders_open_idx, table: orders, columns: [customer_id],"
                        + " where: \"status = 'new'\"}"),
                List.of(), List.of());
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("TDM302");
            assertThat(finding.message()).startsWith("expand failed: ").contains("partial index");
        });
    }

    @Test
    void oldQueriesThatFailBeforeTheMigrationAreBadInput() {
        assertThatThrownBy(() -> onShop().verify(Examples.migration("rename_column.yaml"),
                List.of(new QueryFile("old.sql", "SELECT nope FROM orders")), List.of()))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("old.sql:1");
    }

    @Test
    void typesCompareByTheirBaseName() {
        assertThat(MariaDbScratch.sameBaseType("integer", "int(11)")).isTrue();
        assertThat(MariaDbScratch.sameBaseType("BIGINT", "bigint(20)")).isTrue();
        assertThat(MariaDbScratch.sameBaseType("boolean", "tinyint(1)")).isTrue();
        assertThat(MariaDbScratch.sameBaseType("numeric(10,2)", "decimal(12,2)")).isTrue();
        assertThat(MariaDbScratch.sameBaseType("bigint", "bigint(20) unsigned")).isFalse();
        assertThat(MariaDbScratch.sameBaseType("text", "varchar(40)")).isFalse();
    }

    private String schema() {
        try (Connection c = database.getConnection()) {
            return c.getCatalog();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String value(String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
