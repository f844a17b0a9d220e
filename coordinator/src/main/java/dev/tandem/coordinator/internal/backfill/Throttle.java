package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.BatchStatements;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongSupplier;

/**
 * Tells the workers of one process when to wait: while the server is busier than the configured limits
 * (active sessions, replica replay lag), and long enough to keep them together under the maximum rate, which
 * {@code migrate control} may change while they run.
 */
final class Throttle {
    private final BatchStatements sql;
    private final TandemConfig config;
    private final ReplicaLag replicas;
    private final LongSupplier clock;
    private long maxRate;
    private long paceStart;
    private long rowsPaced;

    Throttle(BatchStatements sql, TandemConfig config, ReplicaLag replicas) {
        this(sql, config, replicas, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    Throttle(BatchStatements sql, TandemConfig config, ReplicaLag replicas, LongSupplier clock) {
        this.sql = sql;
        this.config = config;
        this.replicas = replicas;
        this.clock = clock;
        this.maxRate = config.maxRate();
        // the rate counts from now, so that the first batch is paced too
        this.paceStart = clock.getAsLong();
    }

    /** Why the backfill must wait now, or null when it may go on. */
    String reason(Connection connection) throws SQLException {
        if (config.maxActiveSessions() > 0) {
            long active = number(connection, sql.activeSessions());
            if (active > config.maxActiveSessions()) {
                return active + " active sessions, more than the limit of " + config.maxActiveSessions();
            }
        }
        return replicas.reason(connection);
    }

    /**
     * Counts {@code rows} just filled against the maximum rate; returns how long the caller must now wait. Time
     * spent below the rate (a slow batch, a pause) earns no credit: the rate never runs ahead to catch up.
     */
    synchronized long paceNanos(long rows) {
        if (maxRate == 0) {
            return 0;
        }
        long now = clock.getAsLong();
        rowsPaced += rows;
        long wait = due() - now;
        if (wait < 0) {
            paceStart = now;
            rowsPaced = 0;
            return 0;
        }
        return wait;
    }

    private long due() {
        return paceStart + (long) (rowsPaced * 1e9 / maxRate);
    }

    /** Sets the maximum rate in rows per second, 0 for none; a new rate counts from now. */
    synchronized void maxRate(long rowsPerSecond) {
        if (rowsPerSecond != maxRate) {
            maxRate = rowsPerSecond;
            paceStart = clock.getAsLong();
            rowsPaced = 0;
        }
    }

    private static long number(Connection connection, String query) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }
}
