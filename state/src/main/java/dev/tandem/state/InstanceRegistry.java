package dev.tandem.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry of application instances ({@code instances}): the dual-write library's {@code PhaseGuard} registers
 * an instance and refreshes its heartbeat; the coordinator's contract and rollback refuse to remove a version that
 * live instances run on. Ages are measured by the database's clock, as heartbeats are written.
 *
 * <p>An instance checks the phase and registers under the registry lock taken shared, and contract (rollback) looks
 * for live instances and sets its phase under it taken exclusively: either contract sees the instance, or the
 * instance sees the phase. On PostgreSQL the lock is an advisory transaction lock; on MariaDB, whose
 * {@code GET_LOCK} has no shared mode and outlives the transaction, the row of the one-row {@code layout} table.
 */
public final class InstanceRegistry {
    private final StateSchema schema;

    public InstanceRegistry(StateSchema schema) {
        this.schema = schema;
    }

    /** Takes the registry lock shared until the transaction ends (an instance checking and registering). */
    public void lockShared(Connection c) throws SQLException {
        if (schema.kind() == DatabaseKind.MARIADB && schema.layout(c) == 0) {
            return; // Tandem never ran here: there is no contract or rollback to keep out
        }
        lock(c, true);
    }

    /** Takes the registry lock exclusively until the transaction ends (contract, rollback). */
    public void lockExclusive(Connection c) throws SQLException {
        lock(c, false);
    }

    private void lock(Connection c, boolean shared) throws SQLException {
        String sql = schema.kind() == DatabaseKind.POSTGRESQL
                ? "SELECT pg_advisory_xact_lock" + (shared ? "_shared" : "") + "(" + StateLocks.POSTGRES_CLASS + ", "
                        + StateLocks.POSTGRES_REGISTRY + ")"
                : "SELECT version FROM " + schema.table(StateSchema.VERSION_TABLE) + (shared ? " LOCK IN SHARE MODE" : " FOR UPDATE");
        try (Statement s = schema.statement(c)) {
            s.execute(sql);
        }
    }

    /**
     * Records that {@code instance} is alive now; writes its row again if someone deleted it.
     *
     * @return the row as stored, with its start time
     */
    public InstanceRow heartbeat(Connection c, InstanceRow instance) throws SQLException {
        DatabaseKind kind = schema.kind();
        String table = schema.table(StateSchema.INSTANCES);
        try (PreparedStatement s = schema.prepare(c, "INSERT INTO " + table + " (instance_id, target_schema, version,"
                + " host, started_at, last_seen) VALUES (?, ?, ?, ?, COALESCE(?, " + kind.now() + "), " + kind.clock()
                + ")" + kind.onConflict("instance_id",
                        List.of("target_schema", "version", "host", "started_at", "last_seen")))) {
            s.setString(1, instance.id());
            s.setString(2, instance.targetSchema());
            s.setString(3, instance.version());
            s.setString(4, instance.host());
            s.setTimestamp(5, instance.startedAt() == null ? null : Timestamp.from(instance.startedAt()));
            s.executeUpdate();
        }
        try (PreparedStatement s = schema.prepare(c, "SELECT started_at, last_seen FROM " + table
                + " WHERE instance_id = ?")) {
            s.setString(1, instance.id());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new InstanceRow(instance.id(), instance.targetSchema(), instance.version(), instance.host(),
                        r.getTimestamp(1).toInstant(), r.getTimestamp(2).toInstant());
            }
        }
    }

    /** @return whether the instance had a row */
    public boolean deregister(Connection c, String instanceId) throws SQLException {
        try (PreparedStatement s = schema.prepare(c, "DELETE FROM " + schema.table(StateSchema.INSTANCES)
                + " WHERE instance_id = ?")) {
            s.setString(1, instanceId);
            return s.executeUpdate() > 0;
        }
    }

    /**
     * Instances of {@code targetSchema} whose last heartbeat is at most {@code seenWithin} old, by version, host
     * and id. None while no application has registered (the registry table may not exist before layout 3).
     */
    public List<InstanceRow> live(Connection c, String targetSchema, Duration seenWithin) throws SQLException {
        List<InstanceRow> instances = new ArrayList<>();
        if (!schema.has(c, StateSchema.INSTANCES)) {
            return instances;
        }
        try (PreparedStatement s = schema.prepare(c, "SELECT instance_id, version, host, started_at, last_seen FROM "
                + schema.table(StateSchema.INSTANCES) + " WHERE target_schema = ? AND last_seen > "
                + schema.kind().now() + " - " + schema.kind().millis() + " ORDER BY version, host, instance_id")) {
            s.setString(1, targetSchema);
            s.setLong(2, seenWithin.toMillis());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    instances.add(new InstanceRow(r.getString(1), targetSchema, r.getString(2), r.getString(3),
                            r.getTimestamp(4).toInstant(), r.getTimestamp(5).toInstant()));
                }
            }
        }
        return instances;
    }
}
