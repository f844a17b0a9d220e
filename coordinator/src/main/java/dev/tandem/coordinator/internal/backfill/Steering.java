package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.internal.state.StateStore;
import dev.tandem.coordinator.state.BackfillControl;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The control of one migration's backfill ({@code migrate control}) as this process's workers read it: each before
 * each batch, on its own connection, so a change is honoured within one batch. The listener hears of each change.
 */
final class Steering {
    private final StateStore state;
    private final String schema;
    private final String migration;
    private final BackfillListener listener;
    private BackfillControl last;

    Steering(StateStore state, String schema, String migration, BackfillListener listener) {
        this.state = state;
        this.schema = schema;
        this.migration = migration;
        this.listener = listener;
    }

    BackfillControl read(Connection connection) throws SQLException {
        BackfillControl now = state.control(connection, schema, migration);
        synchronized (this) {
            if (last == null || newer(now, last)) {
                last = now;
                listener.controlled(now);
            }
        }
        return now;
    }

    /** Whether {@code read} was saved after {@code before}: workers' reads may arrive out of order. */
    private static boolean newer(BackfillControl read, BackfillControl before) {
        return read.changedAt() != null && (before.changedAt() == null || read.changedAt().isAfter(before.changedAt()));
    }
}
