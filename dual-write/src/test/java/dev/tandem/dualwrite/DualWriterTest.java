package dev.tandem.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DualWriter by phase, on two stand-in shapes, following the phase of {@code add_display_name}. */
class DualWriterTest {
    private static final String MIGRATION = "add_display_name";
    private static final String UPSERT = "INSERT INTO public.%s (id, v) VALUES (?, ?) ON CONFLICT (id) DO UPDATE "
            + "SET v = excluded.v";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    private Tandem tandem;
    private DualWriter writer;

    @BeforeEach
    void createShapes() {
        db.execute(Examples.shop());
        db.execute("CREATE TABLE old_shape (id int PRIMARY KEY, v text)", "CREATE TABLE new_shape (id int PRIMARY KEY, "
                + "v text)");
        tandem = db.tandem();
        writer = DualWriter.create(PhaseGuard.builder(SchemaVersion.BASE).build().phases(), MIGRATION);
    }

    private static void upsert(Connection c, String table, int id, String value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(String.format(UPSERT, table))) {
            s.setInt(1, id);
            s.setString(2, value);
            s.executeUpdate();
        }
    }

    private static String value(Connection c, String table, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT v FROM public." + table + " WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private DualWritePhase write(Connection c, int id, String value) throws SQLException {
        return writer.write(c, o -> upsert(o, "old_shape", id, value), n -> upsert(n, "new_shape", id, value));
    }

    private DualWritePhase write(int id, String value) throws SQLException {
        try (Connection c = db.pool().getConnection()) {
            return write(c, id, value);
        }
    }

    private String read(int id) throws SQLException {
        try (Connection c = db.pool().getConnection()) {
            return writer.read(c, o -> "old:" + value(o, "old_shape", id), n -> "new:" + value(n, "new_shape", id));
        }
    }

    private List<String> rows(String table) {
        return db.rows("SELECT id || '=' || v FROM " + table + " ORDER BY id");
    }

    @Test
    void writesAndReadsTheShapesThePhaseSays() throws SQLException {
        assertThat(write(1, "a")).isEqualTo(DualWritePhase.READ_OLD_WRITE_OLD);
        tandem.expand(Examples.migration("add_column.yaml"));
        assertThat(write(2, "b")).isEqualTo(DualWritePhase.READ_OLD_WRITE_BOTH);
        assertThat(read(2)).isEqualTo("old:b");
        tandem.backfill(MIGRATION, BackfillListener.NONE);
        assertThat(write(2, "c")).isEqualTo(DualWritePhase.READ_NEW_WRITE_BOTH);
        assertThat(read(2)).isEqualTo("new:c");
        tandem.contract(MIGRATION);
        assertThat(write(3, "d")).isEqualTo(DualWritePhase.READ_NEW_WRITE_NEW);

        assertThat(rows("old_shape")).containsExactly("1=a", "2=c");
        assertThat(rows("new_shape")).containsExactly("2=c", "3=d");
    }

    @Test
    void bothShapesAreWrittenInTheCallersTransaction() throws SQLException {
        tandem.expand(Examples.migration("add_column.yaml"));
        try (Connection c = db.pool().getConnection()) {
            c.setAutoCommit(false);
            write(c, 1, "a");
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(rows("old_shape")).isEmpty();
        assertThat(rows("new_shape")).isEmpty();
    }

    @Test
    void contractWaitsForAWriteInFlightAndLaterWritesLeaveTheOldShapeAlone() throws Exception {
        tandem.expand(Examples.migration("add_column.yaml"));
        tandem.backfill(MIGRATION, BackfillListener.NONE);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection c = db.pool().getConnection(); Connection watcher = db.connect()) {
            c.setAutoCommit(false);
            assertThat(write(c, 1, "in flight")).isEqualTo(DualWritePhase.READ_NEW_WRITE_BOTH);

            Future<?> contract = thread.submit(() -> tandem.contract(MIGRATION));
            while (!contractWaitsForTheRegistryLock(watcher)) {
                assertThat(contract.isDone()).as("contract ended without waiting for the write").isFalse();
                Thread.sleep(20);
            }
            c.commit();
            c.setAutoCommit(true);
            contract.get();
        } finally {
            thread.shutdownNow();
        }
        assertThat(write(2, "after")).isEqualTo(DualWritePhase.READ_NEW_WRITE_NEW);
        assertThat(rows("old_shape")).containsExactly("1=in flight");
        assertThat(rows("new_shape")).containsExactly("1=in flight", "2=after");
    }

    private static boolean contractWaitsForTheRegistryLock(Connection watcher) throws SQLException {
        try (PreparedStatement s = watcher.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE "
                + "locktype = 'advisory' AND objid = 1 AND NOT granted AND database = (SELECT oid FROM pg_database "
                + "WHERE datname = current_database()))"); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getBoolean(1);
        }
    }
}
