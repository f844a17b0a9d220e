package dev.tandem.coordinator.internal.backfill;

import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.BatchStatements;
import dev.tandem.coordinator.internal.sql.Secrets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.sql.DataSource;

/**
 * How far behind the primary the replicas of {@link TandemConfig#replicas()} are, in time, for the replication lag
 * limit of one backfill run. Each check notes the primary's written position with the time it was seen; a
 * replica's lag is the age of the oldest position noted that it has not applied yet. So the lag needs no
 * heartbeat table and no synchronised clocks, holds while a replica applies nothing (its own lag figures go
 * blank then: MariaDB's {@code Seconds_Behind_Master} is NULL with a stopped SQL thread), and reads the same on
 * both databases; it counts from the run's first check. Without named replicas, PostgreSQL's primary tells the
 * lag of its standbys itself ({@code pg_stat_replication}).
 */
final class ReplicaLag implements AutoCloseable {
    private final BatchStatements sql;
    private final long limitMillis;
    private final List<Replica> replicas = new ArrayList<>();

    ReplicaLag(BatchStatements sql, TandemConfig config) {
        this.sql = sql;
        this.limitMillis = config.maxReplicationLag().toMillis();
        for (int i = 0; i < config.replicas().size(); i++) {
            replicas.add(new Replica(i + 1, config.replicas().get(i)));
        }
    }

    /** Why the backfill must wait for the replicas now, or null when it may go on. */
    synchronized String reason(Connection primary) throws SQLException {
        if (limitMillis == 0) {
            return null;
        }
        if (replicas.isEmpty()) {
            long lag = Long.parseLong(value(primary, sql.replicationLagMillis()));
            return lag > limitMillis ? "replication lag " + lag + " ms, " + overLimit() : null;
        }
        String written = value(primary, sql.writtenPosition());
        long now = System.nanoTime();
        for (Replica replica : replicas) {
            String reason = replica.reason(written, now);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        replicas.forEach(Replica::disconnect);
    }

    private String overLimit() {
        return "more than the limit of " + limitMillis + " ms";
    }

    private static String value(Connection connection, String query) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getString(1);
        }
    }

    /** One replica: its connection, and the primary's positions noted that it has not applied yet, oldest first. */
    private final class Replica {
        private final int number;
        private final DataSource source;
        private final Deque<Noted> unapplied = new ArrayDeque<>();
        private Connection connection;
        private String name;

        Replica(int number, DataSource source) {
            this.number = number;
            this.source = source;
            this.name = "replica " + number;
        }

        /** Notes {@code written}, seen at {@code now}; why the backfill must wait for this replica, or null. */
        String reason(String written, long now) {
            if (unapplied.isEmpty() || !unapplied.peekLast().position().equals(written)) {
                unapplied.addLast(new Noted(written, now));
            }
            String replayed;
            try {
                replayed = value(connection(), sql.replayedPosition());
            } catch (SQLException e) {
                disconnect(); // connect again at the next check
                return name + " cannot be read (" + Secrets.mask(e.getMessage().strip()) + ")";
            }
            if (replayed == null) {
                return name + " is not replicating: it has applied nothing";
            }
            while (!unapplied.isEmpty() && sql.replayedUpTo(replayed, unapplied.peekFirst().position())) {
                unapplied.removeFirst();
            }
            long lag = unapplied.isEmpty() ? 0 : (now - unapplied.peekFirst().nanos()) / 1_000_000;
            return lag > limitMillis ? "replication lag " + lag + " ms on " + name + ", " + overLimit() : null;
        }

        private Connection connection() throws SQLException {
            if (connection == null) {
                connection = source.getConnection();
                connection.setAutoCommit(true);
                name = "replica " + number + " (" + Secrets.mask(connection.getMetaData().getURL()) + ")";
            }
            return connection;
        }

        void disconnect() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the session is gone already
                }
                connection = null;
            }
        }
    }

    private record Noted(String position, long nanos) {
    }
}
