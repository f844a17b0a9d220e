package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.CrashingCycle;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.TestTemplate;

/**
 * normalize_column.yaml replaces orders.status by status_id, a reference to the seeded order_statuses: while both
 * versions run, a status the old version writes (a new one too) is the new version's status_id, and a status_id the
 * new version writes is the old version's status.
 */
@BothDatabases
class NormalizeColumnTest {
    private static final String STATUS_OF = "SELECT s.name FROM orders o JOIN order_statuses s ON s.id = o.status_id"
            + " WHERE o.id = ";

    @TestTemplate
    void eachVersionsStatusIsTheOthersAndTheLookupTableIsSeeded(OnDatabase on) throws Exception {
        on.postgres(pg -> Cycle.onShop(pg).migration("normalize_column.yaml")
                .whileExpanded((db, v) -> bothVersionsWrite(db, v + ", public"))
                .afterContract((db, v) -> normalized(db, v + ", public")).run());
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("normalize_column.yaml")
                .whileExpanded((db, v) -> bothVersionsWrite(db, v))
                .afterContract((db, v) -> normalized(db, v)).run());
    }

    @TestTemplate
    void aNullableColumnKeepsItsNulls(OnDatabase on) throws Exception {
        String table = "create_table: {table: notes, columns: [{name: id, type: bigserial, primary_key: true}, "
                + "{name: body, type: varchar(255), nullable: false, unique: true}]}";
        String normalize = "normalize_column: {table: orders, column: note, lookup: {table: notes, key: id, value: body},"
                + " new_column: note_id}";
        // leaves the notes as they were, so the check runs the same after rollback and expand again
        Cycle.Check<StatementsAsVersion> nulls = (db, newVersion) -> {
            db.execute("UPDATE orders SET note = 'fresh' WHERE id = 3", "UPDATE orders SET note = 'fresh' WHERE id = 2",
                    "UPDATE orders SET note = NULL WHERE id = 2");
            assertThat(db.rows(newVersion, "SELECT o.id, n.body FROM orders o LEFT JOIN notes n ON n.id = o.note_id"
                    + " WHERE o.id IN (2, 3) ORDER BY o.id")).containsExactly("2|null", "3|fresh");
            db.executeIn(newVersion, "UPDATE orders SET note_id = NULL WHERE id = 3");
            assertThat(db.value("SELECT note FROM orders WHERE id = 3")).isEqualTo("null");
            db.execute("UPDATE orders SET note = 'note 2' WHERE id = 2");
        };
        Cycle.Check<StatementsAsVersion> kept = (db, newVersion) -> assertThat(db.rows(newVersion,
                "SELECT COUNT(*), COUNT(note_id), COUNT(DISTINCT note_id) FROM orders")).containsExactly("2500|1250|1250");
        on.postgres(pg -> Cycle.onShop(pg).inline("note_lookup", table, normalize)
                .whileExpanded((db, v) -> nulls.check(db, v + ", public"))
                .afterContract((db, v) -> kept.check(db, v + ", public")).run());
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).inline("note_lookup", table, normalize)
                .whileExpanded(nulls::check).afterContract(kept::check).run());
    }

    @TestTemplate
    void refusesALookupTableThatExistsAlreadyOrAKeyThatIsNotItsPrimaryKey(OnDatabase on) throws Exception {
        String normalize = "normalize_column: {table: orders, column: note, lookup: {table: products, key: id, value: "
                + "sku}, new_column: product_note_id}";
        String table = "create_table: {table: notes, columns: [{name: id, type: bigserial, primary_key: true}, "
                + "{name: code, type: bigint}, {name: body, type: text, unique: true}]}";
        String byCode = "normalize_column: {table: orders, column: note, lookup: {table: notes, key: code, value: body},"
                + " new_column: note_id}";
        on.postgres(pg -> {
            Cycle.onShop(pg).inline("existing", normalize).refused("operation 1 (normalize_column)",
                    "lookup table 'products' exists already");
            Cycle.on(pg, pg::tandem, Catalog::dump).inline("by_code", table, byCode).refused("operation 2 (normalize_column)",
                    "'lookup.key' 'code' is not the primary key of 'notes'");
        });
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).inline("existing", normalize).refused(
                "operation 1 (normalize_column)", "lookup table 'products' exists already"));
    }

    @TestTemplate
    void everyPhaseResumesAfterACrashBetweenAnyTwoStepsWhileTheVersionsWrite(OnDatabase on) throws Exception {
        CrashingCycle.onEachShop(on, NormalizeColumnTest::crashAfterEveryStep);
    }

    /** After each stop the version that stays writes, a status the lookup table does not hold among its writes. */
    private static void crashAfterEveryStep(StatementsAsVersion db, Function<Consumer<String>, Tandem> tandemWith,
                                            UnaryOperator<String> path, Supplier<List<String>> catalog) {
        int[] writes = {0};
        String version = CrashingCycle.run(Examples.migration("normalize_column.yaml"), tandemWith, catalog,
                () -> db.execute("INSERT INTO orders (customer_id, status) VALUES (1, 's" + ++writes[0] + "')"),
                () -> db.execute("DELETE FROM orders WHERE id > 2500"),
                v -> db.executeIn(path.apply(v), "UPDATE orders SET status_id = (SELECT id FROM order_statuses"
                        + " WHERE name = 'paid') WHERE id = 7"));
        String newVersion = path.apply(version);
        assertThat(db.value(newVersion, "SELECT COUNT(*) FROM orders o JOIN order_statuses s ON s.id = o.status_id"))
                .isEqualTo(db.value(newVersion, "SELECT COUNT(*) FROM orders"));
        assertThat(db.value(newVersion, STATUS_OF + 7)).isEqualTo("paid");
        assertThat(db.value(newVersion, "SELECT s.name FROM orders o JOIN order_statuses s ON s.id = o.status_id"
                + " WHERE o.id = (SELECT MAX(id) FROM orders)")).isEqualTo("s" + writes[0]);
    }

    private static void bothVersionsWrite(StatementsAsVersion db, String newVersion) {
        assertThatThrownBy(() -> db.rows(newVersion, "SELECT status FROM orders")).hasMessageContaining("status");
        // the listed values first, in their order, then the other values orders hold
        assertThat(db.rows(newVersion, "SELECT name FROM order_statuses ORDER BY id"))
                .containsExactly("new", "paid", "shipped", "cancelled");
        // the old version writes status, a known one and one the lookup table does not hold yet
        db.execute("UPDATE orders SET status = 'paid' WHERE id = 1");
        assertThat(db.value(newVersion, STATUS_OF + 1)).isEqualTo("paid");
        db.execute("INSERT INTO orders (customer_id, status) VALUES (5, 'returned')");
        assertThat(db.value(newVersion, "SELECT s.name FROM orders o JOIN order_statuses s ON s.id = o.status_id"
                + " WHERE o.customer_id = 5 AND o.id > 2500")).isEqualTo("returned");
        assertThat(db.value(newVersion, "SELECT COUNT(*) FROM order_statuses")).isEqualTo("5");
        // the new version writes status_id: the old version reads the status's name
        db.executeIn(newVersion, "UPDATE orders SET status_id = (SELECT id FROM order_statuses WHERE name = 'cancelled')"
                + " WHERE id = 2");
        assertThat(db.value("SELECT status FROM orders WHERE id = 2")).isEqualTo("cancelled");
        db.executeIn(newVersion, "INSERT INTO orders (customer_id, status_id) VALUES (6, (SELECT id FROM order_statuses"
                + " WHERE name = 'paid'))");
        assertThat(db.value("SELECT status FROM orders WHERE customer_id = 6 AND id > 2500")).isEqualTo("paid");
        assertThatThrownBy(() -> db.executeIn(newVersion, "UPDATE orders SET status_id = 999 WHERE id = 3"))
                .as("a status_id the lookup table does not hold").isInstanceOf(IllegalStateException.class);
        db.execute("DELETE FROM orders WHERE id > 2500");
    }

    private static void normalized(StatementsAsVersion db, String newVersion) {
        assertThatThrownBy(() -> db.rows("SELECT status FROM orders")).hasMessageContaining("status");
        assertThat(db.value(newVersion, STATUS_OF + 1)).isEqualTo("paid");
        assertThat(db.value(newVersion, STATUS_OF + 2)).isEqualTo("cancelled");
        assertThat(db.value(newVersion, STATUS_OF + 4)).isEqualTo("shipped");
        assertThat(db.value(newVersion, STATUS_OF + 5)).isEqualTo("new");
        assertThat(db.rows(newVersion, "SELECT s.name, COUNT(*) FROM orders o JOIN order_statuses s ON s.id = o.status_id"
                + " GROUP BY s.name ORDER BY s.name")).containsExactly("cancelled|1", "new|1873", "paid|1", "shipped|625");
        assertThatThrownBy(() -> db.executeIn(newVersion, "INSERT INTO orders (customer_id) VALUES (1)"))
                .as("status_id is NOT NULL").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.executeIn(newVersion, "UPDATE orders SET status_id = 999 WHERE id = 3"))
                .as("the foreign key").isInstanceOf(IllegalStateException.class);
    }
}
