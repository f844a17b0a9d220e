package dev.tandem.coordinator.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An application instance whose heartbeat Tandem saw recently, from the registry the dual-write library's
 * {@code PhaseGuard} keeps.
 *
 * @param version the migration the instance was built for, or {@code base}
 */
public record LiveInstance(String id, String version, String host, Instant startedAt, Instant lastSeen) {

    /**
     * Runs a query of the registry whose columns are instance_id, version, host, started_at and last_seen,
     * in that order.
     */
    public static List<LiveInstance> read(PreparedStatement query) throws SQLException {
        List<LiveInstance> instances = new ArrayList<>();
        try (ResultSet r = query.executeQuery()) {
            while (r.next()) {
                instances.add(new LiveInstance(r.getString(1), r.getString(2), r.getString(3),
                        r.getTimestamp(4).toInstant(), r.getTimestamp(5).toInstant()));
            }
        }
        return instances;
    }

    /** For messages: host, version and last heartbeat. */
    public String describe() {
        return host + " (version " + version + ", last seen " + lastSeen + ")";
    }
}
