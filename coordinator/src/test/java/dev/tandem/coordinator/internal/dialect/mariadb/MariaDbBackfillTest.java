package dev.tandem.coordinator.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.TableCheck;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.testing.Examples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The range-leasing backfill and its verification on MariaDB. */
class MariaDbBackfillTest {
    private static final Migration ADD_CODE = Examples.inline("add_code", "add_column: {table: orders, column: "
            + "{name: code, type: varchar(40)}, up: \"CONCAT('C', legacy_code)\"}");

    @RegisterExtension
    final MariaDbTestDatabase db = MariaDbTestDatabase.perTest();

    @BeforeEach
    void createTables() {
        db.execute(Examples.MARIADB_SHOP);
    }

    @Test
    void twoWorkersFillEveryRangeAndVerifyFindsRowsChangedAfterwards() {
        Tandem tandem = db.tandem(TandemConfig.builder().schema(db.name()).workers(2).rangeRows(500)
                .batchSizeBounds(10, 1000).batchSize(100));
        tandem.expand(ADD_CODE);

        tandem.backfill("add_code", BackfillListener.NONE);

        BackfillProgress progress = tandem.status().get(0).backfill().get(0);
        assertThat(progress.ranges()).isGreaterThan(1);
        assertThat(progress.rangesDone()).isEqualTo(progress.ranges());
        assertThat(progress.rowsDone()).isEqualTo(2500);
        assertThat(db.value("SELECT COUNT(*) FROM orders WHERE code IS NULL OR code <> CONCAT('C', legacy_code)"))
                .isEqualTo("0");
        TableCheck clean = tandem.verify("add_code", 0).get(0);
        assertThat(clean.ok()).isTrue();
        assertThat(clean.rowsChecked()).isEqualTo(2500);
        assertThat(tandem.verify("add_code", 100).get(0).ok()).isTrue();

        db.execute("SET @tandem_backfill = 1", "UPDATE orders SET code = NULL WHERE id = 7",
                "UPDATE orders SET code = 'other' WHERE id = 9");
        TableCheck dirty = tandem.verify("add_code", 0).get(0);
        assertThat(dirty.pending()).isEqualTo(1);
        assertThat(dirty.pendingKeys()).containsExactly("[\"7\"]");
        assertThat(dirty.differing()).isEqualTo(1);
        assertThat(dirty.differingKeys()).containsExactly("[\"9\"]");
    }

    /**
     * A column MariaDB sets on every update that leaves it out ({@code ON UPDATE CURRENT_TIMESTAMP}, the usual
     * updated_at) keeps its values through the backfill: each batch sets it to itself.
     */
    @Test
    void batchesLeaveOnUpdateTimestampsAsTheyWere() {
        db.execute("ALTER TABLE orders ADD COLUMN updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"
                + " ON UPDATE CURRENT_TIMESTAMP", "UPDATE orders SET updated_at = '2020-01-01 00:00:00'");
        Tandem tandem = db.tandem();
        tandem.expand(ADD_CODE);

        tandem.backfill("add_code", BackfillListener.NONE);

        assertThat(db.value("SELECT CONCAT(COUNT(*), '/', SUM(updated_at = '2020-01-01 00:00:00'), '/', COUNT(code))"
                + " FROM orders")).isEqualTo("2500/2500/2500");
    }

    /** Under REPEATABLE READ the last range's batches would lock the gap before every new row's key. */
    @Test
    void batchesReadCommitted() {
        Tandem tandem = db.tandem();
        tandem.expand(ADD_CODE);
        db.execute("CREATE TABLE isolation_seen (level VARCHAR(20))", "CREATE TRIGGER orders_isolation_seen AFTER UPDATE"
                + " ON orders FOR EACH ROW INSERT INTO isolation_seen VALUES (@@tx_isolation)");

        tandem.backfill("add_code", BackfillListener.NONE);

        assertThat(db.rows("SELECT level, COUNT(*) FROM isolation_seen GROUP BY level"))
                .containsExactly("READ-COMMITTED|2500");
    }
}
