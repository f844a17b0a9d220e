package dev.tandem.dualwrite;

import dev.tandem.state.InstanceRegistry;
import dev.tandem.state.InstanceRow;
import dev.tandem.state.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A started application instance: the version it runs on, and its row in Tandem's instance registry, kept
 * fresh by a heartbeat on a daemon thread (never on the application's request path). {@link #close()} stops
 * the heartbeat and deletes the row; an instance that dies without closing simply stops refreshing it, and the
 * coordinator ignores it once its last heartbeat is older than the instance TTL.
 */
public final class InstanceRegistration implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InstanceRegistration.class.getName());

    private final SchemaVersion version;
    private final InstanceRow row;
    private final DataSource dataSource;
    private final InstanceRegistry registry;
    private final Duration timeout;
    private final ScheduledExecutorService heartbeat;
    private final GuardListener listener;
    /** Held by each heartbeat and by close, so no heartbeat can write the row again after close deleted it. */
    private final Object lock = new Object();
    private boolean closed;

    InstanceRegistration(SchemaVersion version, InstanceRow row, DataSource dataSource, InstanceRegistry registry,
                         Duration interval, Duration timeout, GuardListener listener) {
        this.version = version;
        this.listener = listener;
        this.row = row;
        this.dataSource = dataSource;
        this.registry = registry;
        this.timeout = timeout;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tandem-heartbeat-" + row.id());
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The version this instance runs on, and how its connections reach it. */
    public SchemaVersion version() {
        return version;
    }

    /** The instance's id in the registry. */
    public String instanceId() {
        return row.id();
    }

    public String host() {
        return row.host();
    }

    /** When the instance registered, by the database's clock. */
    public Instant startedAt() {
        return row.startedAt();
    }

    private void beat() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            try (Connection c = dataSource.getConnection()) {
                Jdbc.inTransaction(c, () -> registry.heartbeat(c, row));
                listener.heartbeat(row.id(), true);
            } catch (SQLException | RuntimeException e) {
                listener.heartbeat(row.id(), false);
                // a missed heartbeat only matters once the TTL has passed; the next one may well succeed
                LOG.log(System.Logger.Level.WARNING, "Tandem heartbeat of instance " + row.id() + " failed: "
                        + e.getMessage());
            }
        }
    }

    /** Stops the heartbeat and removes the instance from the registry. Failures are logged, not thrown. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        heartbeat.shutdownNow();
        listener.closed(row.id());
        try {
            TimeLimit.run(timeout, "removing instance " + row.id() + " from the registry", version.name(), () -> {
                try (Connection c = dataSource.getConnection()) {
                    return Jdbc.inTransaction(c, () -> registry.deregister(c, row.id()));
                }
            });
        } catch (PhaseGuardException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; the coordinator ignores the instance once its "
                    + "TTL has passed");
        }
    }

    @Override
    public String toString() {
        return "InstanceRegistration[id=" + row.id() + ", version=" + version.name() + ", host=" + row.host() + "]";
    }
}
