package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Input MariaDB cannot or must not run is refused with a clear message, and nothing is left changed. */
class MariaDbRefusalsTest {
    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    @BeforeEach
    void createTables() {
        db.execute(Examples.MARIADB_SHOP);
    }

    @Test
    void hostileIdentifierIsRejectedByTheParser() {
        assertThatThrownBy(() -> Examples.inline("hostile", "add_column: {table: \"orders` ADD COLUMN x INT; --\","
                + " column: {name: c, type: int}}"))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("operation 1 (add_column)")
                .hasMessageContaining("may only contain letters, digits and underscores");
    }

    @Test
    void changeMariaDbWouldCopyIsRefusedByPlanAndExpandBeforeAnythingChanges() {
        Cycle.on(db).migration(Examples.inline("quantity_checked", "alter_column: {strategy: in_place, table: orders,"
                        + " column: quantity, check: \"quantity > 0\", up: quantity, down: quantity}")).refused(
                "quantity_checked.yaml: operation 1 (alter_column)", "not supported online on MariaDB");
        Cycle.on(db).migration(Examples.inline("open_orders",
                "create_index: {name: open_idx, table: orders, columns: [customer_id], where: \"quantity > 1\"}")).refused(
                "open_orders.yaml: operation 1 (create_index)", "a partial index");
    }

    @Test
    void aPostgresqlTypeIsRefusedNamingMariaDbsOwn() {
        Cycle.on(db).migration(Examples.inline("shipped_at", "add_column: {table: orders,"
                + " column: {name: shipped_at, type: timestamptz}}")).refused(
                "shipped_at.yaml: operation 1 (add_column)", "column 'shipped_at' has type timestamptz, which is"
                        + " PostgreSQL's and not MariaDB's: use DATETIME(6) or TIMESTAMP(6), in UTC");
        Cycle.on(db).migration(Examples.inline("tags", "create_table: {table: tags, columns: [{name: id, type: bigint,"
                + " primary_key: true}, {name: labels, type: \"text[]\"}]}")).refused(
                "tags.yaml: operation 1 (create_table)", "a PostgreSQL array, which MariaDB does not have: use JSON");
    }

    /** MariaDB states a new column's comment in its definition: instant, like the column. */
    @Test
    void aNewColumnsCommentIsPartOfTheColumn() throws Exception {
        Cycle.on(db).migration(Examples.inline("badge", "add_column: {table: orders,"
                        + " column: {name: badge, type: varchar(20), comment: Shown on the card}}",
                        "create_table: {table: badges, columns: [{name: id, type: bigint, primary_key: true},"
                        + " {name: label, type: varchar(20), comment: \"Customer's label\"}]}"))
                .afterContract((done, v) -> assertThat(done.rows("SELECT TABLE_NAME, COLUMN_COMMENT FROM"
                        + " information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME IN ('badge', 'label')"
                        + " ORDER BY 1")).containsExactly("badges|Customer's label", "orders|Shown on the card"))
                .run();
    }

    @Test
    void badExpressionUndoesWhatExpandHadDone() {
        List<String> before = Catalog.dump(db);
        Tandem tandem = db.tandem();
        assertThatThrownBy(() -> tandem.expand(Examples.inline("bad_up", "add_column: {table: customers,"
                + " column: {name: display_name, type: varchar(120)}, up: \"CONCAT(first_name, no_such_column)\"}")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("no_such_column")
                .hasMessageContaining("rolled back");
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
    }

    @Test
    void openTransactionMakesExpandGiveUpAfterBoundedRetries() throws Exception {
        List<String> before = Catalog.dump(db);
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).lockTimeout(Duration.ofMillis(200))
                .lockRetries(1));
        try (Connection blocker = db.connect(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.executeQuery("SELECT COUNT(*) FROM orders").close();
            assertThatThrownBy(() -> tandem.expand(Examples.inline("add_flag",
                    "add_column: {table: orders, column: {name: flag, type: int}}")))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("could not take the MDL EXCLUSIVE lock on " + db.name() + ".orders")
                    // an instant statement waits the lock timeout itself, not lock_wait_timeout's whole second
                    .hasMessageContaining("within 200 ms, 2 attempt(s)")
                    .hasMessageContaining("max_statement_time exceeded")
                    .hasMessageContaining("Sessions holding locks on it: connection");
            blocker.rollback();
        }
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
        assertThat(tandem.status()).isEmpty();
    }

    @Test
    void aStepAfterAMetadataOnlyStepRunsWithoutItsStatementTimeLimit() throws Exception {
        // A time limit left on the session from a rename would interrupt the next step's CREATE TRIGGER, which
        // leaves a stray .TRN- file in the database directory (DROP DATABASE then fails with error 1010).
        TableRef orders = new TableRef(db.name(), "orders");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            MariaDbDialect dialect = MariaDbDialect.forSession(c);
            dialect.setLockTimeout(c, Duration.ofMillis(200), List.of(new Ddl.RenameColumn(orders, "note", "memo")));
            assertThat(statementTimeLimit(s)).isEqualTo("0.200000");
            dialect.setLockTimeout(c, Duration.ofMillis(200),
                    List.of(new Ddl.CreateIndex(orders, "orders_note_idx", List.of("note"), false, null, null)));
            assertThat(statementTimeLimit(s)).isEqualTo("0.000000");
        }
    }

    private static String statementTimeLimit(Statement s) throws Exception {
        try (var rows = s.executeQuery("SELECT @@SESSION.max_statement_time")) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Test
    void aStatementThatBuildsWaitsWholeSecondsForItsLockAndTheErrorSaysSo() throws Exception {
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).lockTimeout(Duration.ofMillis(200))
                .lockRetries(1));
        try (Connection blocker = db.connect(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.executeQuery("SELECT COUNT(*) FROM customers").close();
            assertThatThrownBy(() -> tandem.expand(Examples.inline("customers_by_name",
                    "create_index: {name: customers_last_name_idx, table: customers, columns: [last_name]}")))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("within 1000 ms (the lock timeout of 200 ms, rounded up to what the database"
                            + " counts), 2 attempt(s)")
                    .hasMessageContaining("Lock wait timeout exceeded");
            blocker.rollback();
        }
        assertThat(db.value("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND INDEX_NAME = 'customers_last_name_idx'")).isEqualTo("0");
    }

    /** A check is renamed through the table copy (MariaDbTableCopyTest); a table that cannot be copied refuses it. */
    @Test
    void renamingACheckOfATableThatCannotBeCopiedIsRefusedBeforeAnythingChanges() {
        db.execute("CREATE TABLE tallies (n INT, CONSTRAINT n_small CHECK (n < 10))");
        Cycle.on(db).migration(Examples.inline("rename_check", "rename_constraint: {table: tallies,"
                + " from: n_small, to: tallies_n_check}")).refused(
                "rename_check.yaml: operation 1 (rename_constraint)", "renaming a check constraint");
    }

    @Test
    void badInputIsAClearErrorAndChangesNothing() {
        List<String> before = Catalog.dump(db);
        Tandem tandem = db.tandem();
        record Case(String operation, String message) {
        }
        for (Case bad : List.of(
                new Case("add_column: {table: no_such_table, column: {name: c, type: int}}",
                        "table 'no_such_table' does not exist"),
                new Case("alter_column: {table: orders, column: no_such_column, type: bigint, up: x, down: x}",
                        "no_such_column"),
                new Case("add_column: {table: orders, column: {name: c, type: no_such_type}}", "no_such_type"),
                new Case("add_column: {table: orders, column: {name: c, type: varchar(99999)}}", "too big"),
                new Case("add_column: {table: orders, column: {name: c, type: int}, up: \"1); DROP TABLE orders; --\"}",
                        "'up'"),
                new Case("add_column: {table: orders, column: {name: c, type: int}, up: \"1` + 1\"}", "has a backtick"),
                new Case("add_column: {table: orders, column: {name: c, type: text}, up: \"note || legacy_code\"}",
                        "has '||', which MySQL and MariaDB read as OR"),
                new Case("add_column: {table: orders, column: {name: c, type: text}, up: \"quantity::text\"}",
                        "has a '::' cast"))) {
            assertThatThrownBy(() -> tandem.expand(Examples.inline("bad", bad.operation())))
                    .as(bad.operation()).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("bad.yaml: operation 1")
                    .hasMessageContaining(bad.message());
            assertThat(Catalog.dump(db)).as(bad.operation()).containsExactlyElementsOf(before);
        }
        assertThat(db.value("SELECT COUNT(*) FROM orders")).isEqualTo("2500");
        assertThat(tandem.status()).isEmpty();
    }

    /**
     * MariaDB drops a column of a table with a FULLTEXT index, or makes one NOT NULL, only by rebuilding the table
     * while writes wait (1846): contract failed at that step, after the fence, on every run. Refused before expand.
     */
    @Test
    void contractsThatRebuildATableWithAFullTextIndexAreRefusedBeforeAnythingChanges() {
        db.execute("CREATE TABLE articles (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200), legacy INT,"
                + " FULLTEXT KEY articles_title (title))",
                "CREATE TRIGGER articles_trimmed BEFORE UPDATE ON articles FOR EACH ROW SET NEW.title = TRIM(NEW.title)");
        Cycle.on(db).migration(Examples.inline("drop_legacy", "drop_column: {table: articles, column: legacy}"))
                .refused("drop_legacy.yaml: operation 1 (drop_column): contract would drop column 'legacy' of table"
                        + " 'articles', which has FULLTEXT index [articles_title]", "nothing was changed");
        Cycle.on(db).migration(Examples.inline("widen_legacy", "alter_column: {table: articles, column: legacy,"
                        + " type: bigint, up: legacy, down: legacy}"))
                .refused("widen_legacy.yaml: operation 1 (alter_column)", "FULLTEXT index [articles_title]");
    }

    /** Where the table is not copied, a TIMESTAMP made NOT NULL with a non-constant default is refused before expand. */
    @Test
    void aNotNullTimestampDefaultingToNowInPlaceIsRefusedBeforeAnythingChanges() {
        db.execute("CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY, n INT)", "CREATE TABLE event_log (id INT)",
                "CREATE TRIGGER events_logged AFTER INSERT ON events FOR EACH ROW INSERT INTO event_log VALUES (NEW.id)");
        Cycle.on(db).migration(Examples.inline("created_at", "add_column: {table: events, column: {name: created_at,"
                + " type: timestamp, nullable: false, default: CURRENT_TIMESTAMP}}")).refused("created_at.yaml:"
                + " operation 1 (add_column)", "contract would make TIMESTAMP column 'created_at' of table 'events' NOT"
                + " NULL, whose default (CURRENT_TIMESTAMP) is not a constant", "nothing was changed");
    }
}
