package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.state.StateStore;
import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/**
 * A change to how a migration's backfills are steered, sent from any process: written to the state tables without
 * the run lock (the backfill holds it), and recorded in the history with who sent it.
 */
public final class ControlChange {
    private ControlChange() {
    }

    public static BackfillControl apply(Connection c, TandemConfig config, String name,
                                        UnaryOperator<BackfillControl> change) throws SQLException {
        StateStore store = StateStore.on(c, config.stateSchema());
        store.install(c);
        MigrationRecord record = store.find(c, config.schema(), name).orElseThrow(() -> new StateConflictException(
                "no migration named '" + name + "' has been expanded on schema '" + config.schema() + "'"));
        if (record.phase() == Phase.COMPLETE || record.phase() == Phase.CONTRACTING
                || record.phase() == Phase.CONTRACTED_KEPT) {
            throw new StateConflictException("migration '" + name + "' is " + record.phase().label()
                    + "; its backfill is over, there is nothing to control");
        }
        return store.changeControl(c, config.schema(), name, change, sender());
    }

    /** Who sends a change, for the history: the user, the host and the process. */
    private static String sender() {
        String host = System.getenv().getOrDefault("HOSTNAME", "");
        if (host.isEmpty()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown host";
            }
        }
        return System.getProperty("user.name") + "@" + host + ", pid " + ProcessHandle.current().pid();
    }
}
