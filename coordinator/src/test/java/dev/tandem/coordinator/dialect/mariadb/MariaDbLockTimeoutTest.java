package dev.tandem.coordinator.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.testing.Examples;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's lock_wait_timeout counts whole seconds. A statement that only changes metadata waits the lock timeout
 * itself (its run is bounded by max_statement_time); one that builds keeps the whole-second wait, and its failure
 * says so. Neither statement is applied.
 */
class MariaDbLockTimeoutTest {
    private MariaDbTestDatabase db;
    private Connection blocker;

    @BeforeEach
    void holdTheCustomersTableInAnOpenTransaction() throws Exception {
        db = MariaDbTestDatabase.create();
        db.execute(MariaDbCycle.SHOP);
        blocker = db.connect();
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM customers").close();
        }
    }

    @AfterEach
    void release() throws Exception {
        blocker.close();
        db.close();
    }

    @Test
    void aMetadataOnlyStatementWaitsTheLockTimeoutItself() {
        List<String> before = MariaDbCatalogDump.of(db);
        assertThatThrownBy(() -> tandem().expand(Examples.inline("add_display_name", "add_column: {table: customers,"
                + " column: {name: display_name, type: varchar(120)}, up: \"CONCAT(first_name, ' ', last_name)\"}")))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("could not take the MDL EXCLUSIVE lock on " + db.name() + ".customers within "
                        + "200 ms, 2 attempt(s)")
                .hasMessageContaining("max_statement_time exceeded");
        assertThat(MariaDbCatalogDump.of(db)).containsExactlyElementsOf(before);
    }

    @Test
    void aStatementThatBuildsWaitsWholeSecondsAndSaysSo() {
        assertThatThrownBy(() -> tandem().expand(Examples.inline("customers_by_name",
                "create_index: {name: customers_last_name_idx, table: customers, columns: [last_name]}")))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("within 1000 ms (the lock timeout of 200 ms, rounded up to what the database "
                        + "counts), 2 attempt(s)")
                .hasMessageContaining("Lock wait timeout exceeded");
        assertThat(db.value("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND INDEX_NAME = 'customers_last_name_idx'")).isEqualTo("0");
    }

    private Tandem tandem() {
        return db.tandem(TandemConfig.builder().schema(db.name()).lockTimeout(Duration.ofMillis(200)).lockRetries(1)
                .retryDelays(Duration.ofMillis(100), Duration.ofMillis(100)));
    }
}
