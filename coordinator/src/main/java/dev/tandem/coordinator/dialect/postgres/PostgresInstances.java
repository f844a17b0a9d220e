package dev.tandem.coordinator.dialect.postgres;

import static dev.tandem.coordinator.sql.Quoting.ident;

import dev.tandem.coordinator.state.LiveInstance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Reads the instance registry ({@code instances} in the state schema). The dual-write library's
 * {@code PhaseGuard} creates and writes it; until an application has started with one, it does not exist and
 * no instance is live. Ages are measured by the database's clock, as the heartbeats are written.
 */
final class PostgresInstances {
    private final String stateSchema;

    PostgresInstances(String stateSchema) {
        this.stateSchema = stateSchema;
    }

    /** The dual-write library takes the same lock shared while an instance checks the phase and registers. */
    void lock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + PostgresStateStore.LOCK_CLASS + ", 1)");
        }
    }

    List<LiveInstance> live(Connection c, String targetSchema, Duration seenWithin) throws SQLException {
        String table = ident(stateSchema) + "." + ident("instances");
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet r = exists.executeQuery()) {
                r.next();
                if (!r.getBoolean(1)) {
                    return List.of();
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT instance_id, version, host, started_at, last_seen FROM "
                + table + " WHERE target_schema = ? AND last_seen > now() - ? * interval '1 millisecond'"
                + " ORDER BY version, host, instance_id")) {
            s.setString(1, targetSchema);
            s.setLong(2, seenWithin.toMillis());
            return LiveInstance.read(s);
        }
    }
}
