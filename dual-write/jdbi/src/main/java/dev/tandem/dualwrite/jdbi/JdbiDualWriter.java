package dev.tandem.dualwrite.jdbi;

import dev.tandem.dualwrite.DualWritePhase;
import dev.tandem.dualwrite.DualWriter;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * {@link DualWriter} for Jdbi: both shapes are written on one handle, in its open transaction or in one of its
 * own.
 *
 * <pre>{@code
 * JdbiDualWriter phones = new JdbiDualWriter(DualWriter.create(guard.phases(), "move_phone"));
 * jdbi.useHandle(h -> phones.write(h,
 *         old -> old.execute("UPDATE public.customers SET phone = ? WHERE id = ?", phone, id),
 *         neu -> neu.execute("INSERT INTO customer_phones ... ON CONFLICT ...", id, phone)));
 * }</pre>
 */
public final class JdbiDualWriter {
    private final DualWriter writer;

    public JdbiDualWriter(DualWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** Runs each shape's part when the phase writes that shape, old first; returns the phase it ran in. */
    public DualWritePhase write(Handle handle, Consumer<Handle> oldShape, Consumer<Handle> newShape) {
        return handle.inTransaction(h -> unchecked(() -> writer.write(h.getConnection(), c -> oldShape.accept(h),
                c -> newShape.accept(h))));
    }

    /** Reads the new shape when the phase says so, the old one otherwise. */
    public <T> T read(Handle handle, Function<Handle, T> oldShape, Function<Handle, T> newShape) {
        return unchecked(() -> writer.read(handle.getConnection(), c -> oldShape.apply(handle),
                c -> newShape.apply(handle)));
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Jdbi reports database failures unchecked; so does this, with the SQLException as the cause. */
    private static <T> T unchecked(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }
}
