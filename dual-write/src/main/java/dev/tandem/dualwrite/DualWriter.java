package dev.tandem.dualwrite;

import dev.tandem.dualwrite.verify.DriftCheck;
import dev.tandem.dualwrite.verify.DriftReport;
import dev.tandem.state.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Writes both shapes of a change that database triggers cannot carry (a column moved into another table, a
 * table split in two) in one transaction, as the migration's {@link DualWritePhase phase} says: the old shape
 * until contract begins, the new one from the end of expand.
 *
 * <pre>{@code
 * DualWriter phones = DualWriter.create(guard.phases(), "move_phone");
 * phones.write(connection,
 *         c -> update(c, "UPDATE public.customers SET phone = ? WHERE id = ?", phone, id),
 *         c -> update(c, "INSERT INTO customer_phones ... ON CONFLICT (customer_id) DO UPDATE ...", id, phone));
 * }</pre>
 *
 * Each write reads the phase in its own transaction, holding the lock that contract takes exclusively when it
 * begins: contract waits for the write, and every write that starts after contract began sees it. Write the
 * old shape first in every writer, so concurrent writers of one key queue on the old row and end up agreeing.
 */
public final class DualWriter {
    /** One shape's part of a write, on the connection and in the transaction of the write. */
    @FunctionalInterface
    public interface Step {
        void run(Connection connection) throws SQLException;
    }

    /** One shape's way of reading. */
    @FunctionalInterface
    public interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    private final PhaseView phases;
    private final String migration;

    private DualWriter(PhaseView phases, String migration) {
        this.phases = phases;
        this.migration = migration;
    }

    /** @param migration the migration that moves data from the old shape to the new one */
    public static DualWriter create(PhaseView phases, String migration) {
        return new DualWriter(Objects.requireNonNull(phases, "phases"), Objects.requireNonNull(migration, "migration"));
    }

    public String migration() {
        return migration;
    }

    /**
     * Runs {@code oldShape} and then {@code newShape}, each only when the phase writes that shape, in the
     * connection's open transaction, or in one of their own when it is in auto-commit mode.
     *
     * @return the phase the write ran in
     */
    public DualWritePhase write(Connection connection, Step oldShape, Step newShape) throws SQLException {
        if (!connection.getAutoCommit()) {
            return writeInTransaction(connection, oldShape, newShape);
        }
        return Jdbc.inTransaction(connection, () -> writeInTransaction(connection, oldShape, newShape));
    }

    private DualWritePhase writeInTransaction(Connection connection, Step oldShape, Step newShape) throws SQLException {
        phases.holdOffContract(connection);
        DualWritePhase phase = phases.phase(connection, migration).dualWrite();
        if (phase.writesOld()) {
            oldShape.run(connection);
        }
        if (phase.writesNew()) {
            newShape.run(connection);
        }
        phases.listener().dualWritten(migration, phase);
        return phase;
    }

    /** Runs {@code newShape} when the phase reads the new shape, {@code oldShape} otherwise. */
    public <T> T read(Connection connection, Read<T> oldShape, Read<T> newShape) throws SQLException {
        return phases.phase(connection, migration).dualWrite().readsNew() ? newShape.run(connection)
                : oldShape.run(connection);
    }

    /**
     * Runs {@code check} on the shapes this writer writes and tells the guard's listeners what it found, so that
     * metrics show the drift per migration.
     *
     * @param limit how many drifted keys to return at most; all of them are counted
     */
    public DriftReport checkDrift(Connection connection, DriftCheck check, int limit) throws SQLException {
        DriftReport report = check.run(connection, limit);
        phases.listener().driftChecked(migration, report);
        return report;
    }

    @Override
    public String toString() {
        return "DualWriter[migration=" + migration + "]";
    }
}
