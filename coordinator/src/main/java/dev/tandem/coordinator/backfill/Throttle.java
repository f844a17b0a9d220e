package dev.tandem.coordinator.backfill;

import dev.tandem.coordinator.TandemConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Tells the workers of one process when to wait: while the server is busier than the configured limits
 * (active sessions, replica replay lag), and long enough to keep them together under the maximum rate.
 */
final class Throttle {
    /** Rows not filled during a slow spell may be caught up only this far ahead of the rate. */
    private static final long MAX_BURST_NANOS = 1_000_000_000L;

    private final BatchStatements sql;
    private final TandemConfig config;
    private long paceStart;
    private long rowsPaced;

    Throttle(BatchStatements sql, TandemConfig config) {
        this.sql = sql;
        this.config = config;
    }

    /** Why the backfill must wait now, or null when it may go on. */
    String reason(Connection connection) throws SQLException {
        if (config.maxActiveSessions() > 0) {
            long active = number(connection, sql.activeSessions());
            if (active > config.maxActiveSessions()) {
                return active + " active sessions, more than the limit of " + config.maxActiveSessions();
            }
        }
        if (!config.maxReplicationLag().isZero()) {
            long lag = number(connection, sql.replicationLagMillis());
            if (lag > config.maxReplicationLag().toMillis()) {
                return "replication lag " + lag + " ms, more than the limit of " + config.maxReplicationLag().toMillis()
                        + " ms";
            }
        }
        return null;
    }

    /** Counts {@code rows} just filled against the maximum rate; returns how long the caller must now wait. */
    synchronized long paceNanos(long rows) {
        if (config.maxRate() == 0) {
            return 0;
        }
        long now = System.nanoTime();
        if (rowsPaced == 0 || now - due() > MAX_BURST_NANOS) {
            paceStart = now - MAX_BURST_NANOS;
            rowsPaced = 0;
        }
        rowsPaced += rows;
        return Math.max(0, due() - now);
    }

    private long due() {
        return paceStart + (long) (rowsPaced * 1e9 / config.maxRate());
    }

    private static long number(Connection connection, String query) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }
}
