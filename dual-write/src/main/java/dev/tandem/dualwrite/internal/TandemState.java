package dev.tandem.dualwrite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * All JDBC of the dual-write library. Reads the coordinator's {@code migrations} and {@code history} tables
 * (the application does not depend on the coordinator) and writes the {@code instances} registry, with the SQL
 * of the database at hand ({@link StateSql}). Every statement names its schema, so it works on connections of
 * any version, and carries a query timeout.
 */
public final class TandemState {
    private final StateSql sql;
    private final String stateSchema;
    private final int queryTimeoutSeconds;

    public TandemState(StateSql sql, String stateSchema, int queryTimeoutSeconds) {
        this.sql = sql;
        this.stateSchema = stateSchema;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /** The state on the database {@code c} is connected to, PostgreSQL or MariaDB/MySQL. */
    public static TandemState detect(Connection c, String stateSchema, int queryTimeoutSeconds) throws SQLException {
        return new TandemState(StateSql.detect(c), stateSchema, queryTimeoutSeconds);
    }

    public StateSql sql() {
        return sql;
    }

    private String table(String name) {
        return sql.ident(stateSchema) + "." + sql.ident(name);
    }

    /** The migrations recorded for {@code targetSchema}, oldest first; none when Tandem never ran here. */
    public List<MigrationRow> migrations(Connection c, String targetSchema) throws SQLException {
        List<MigrationRow> rows = new ArrayList<>();
        if (!exists(c, "migrations")) {
            return rows;
        }
        try (PreparedStatement s = prepare(c, "SELECT m.name, m.phase, m.source, m.version_schema,"
                + " m.previous_version_schema, " + backfilledSinceExpand() + " FROM " + table("migrations")
                + " m WHERE m.target_schema = ? ORDER BY m.created_at, m.name")) {
            s.setString(1, targetSchema);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new MigrationRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getBoolean(6)));
                }
            }
        }
        return rows;
    }

    /**
     * The recorded phase of migration {@code name} of {@code targetSchema} (the latest recorded migration when
     * {@code name} is null), and whether a backfill finished since its last expand; null when none is recorded.
     */
    public PhaseRow phase(Connection c, String targetSchema, String name) throws SQLException {
        if (!exists(c, "migrations")) {
            return null;
        }
        try (PreparedStatement s = prepare(c, "SELECT m.name, m.phase, " + backfilledSinceExpand()
                + " FROM " + table("migrations") + " m WHERE m.target_schema = ? AND (m.name = ? OR "
                + sql.nullableText() + " IS NULL) ORDER BY m.created_at DESC, m.name DESC LIMIT 1")) {
            s.setString(1, targetSchema);
            s.setString(2, name);
            s.setString(3, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new PhaseRow(r.getString(1), r.getString(2), r.getBoolean(3)) : null;
            }
        }
    }

    /** Whether a backfill finished after the latest expand of migration {@code m}. */
    private String backfilledSinceExpand() {
        String history = table("history");
        return "EXISTS (SELECT 1 FROM " + history + " b WHERE b.target_schema = m.target_schema"
                + " AND b.migration = m.name AND b.event = 'backfilled' AND b.id > COALESCE((SELECT MAX(e.id)"
                + " FROM " + history + " e WHERE e.target_schema = m.target_schema AND e.migration = m.name"
                + " AND e.event = 'expanded'), 0))";
    }

    /** Those of {@code schemas} (databases, on MariaDB and MySQL) that exist. */
    public Set<String> existingSchemas(Connection c, Collection<String> schemas) throws SQLException {
        Set<String> existing = new HashSet<>();
        try (PreparedStatement s = prepare(c, sql.schemaExists())) {
            for (String schema : schemas) {
                s.setString(1, schema);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        existing.add(schema);
                    }
                }
            }
        }
        return existing;
    }

    /**
     * Takes the registry lock shared until the transaction ends. An instance holds it while it checks the phase
     * and registers, and contract (rollback) holds it exclusively while it looks for live instances of the
     * version it removes and sets its phase, so either it sees the instance or the instance sees its phase.
     */
    public void lockRegistry(Connection c) throws SQLException {
        if (sql.registryLockTable() != null && !exists(c, sql.registryLockTable())) {
            return; // Tandem never ran here: there is no contract or rollback to keep out
        }
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(queryTimeoutSeconds);
            s.execute(sql.registryLock(stateSchema));
        }
    }

    /**
     * Records that {@code instance} is alive now; writes its row again if someone deleted it.
     *
     * @return the row as stored, with its start time
     */
    public InstanceRow heartbeat(Connection c, InstanceRow instance) throws SQLException {
        try (PreparedStatement s = prepare(c, sql.heartbeat(table("instances")))) {
            s.setString(1, instance.id());
            s.setString(2, instance.targetSchema());
            s.setString(3, instance.version());
            s.setString(4, instance.host());
            s.setTimestamp(5, instance.startedAt() == null ? null : Timestamp.from(instance.startedAt()));
            s.executeUpdate();
        }
        try (PreparedStatement s = prepare(c, "SELECT started_at FROM " + table("instances")
                + " WHERE instance_id = ?")) {
            s.setString(1, instance.id());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new InstanceRow(instance.id(), instance.targetSchema(), instance.version(), instance.host(),
                        r.getTimestamp(1).toInstant());
            }
        }
    }

    /** @return whether the instance had a row */
    public boolean deregister(Connection c, String instanceId) throws SQLException {
        try (PreparedStatement s = prepare(c, "DELETE FROM " + table("instances") + " WHERE instance_id = ?")) {
            s.setString(1, instanceId);
            return s.executeUpdate() > 0;
        }
    }

    /**
     * Creates the registry table when it is missing. Checks first, so an application allowed to write rows but
     * not to create tables works once the table exists. Run it in a transaction of its own: MariaDB commits
     * DDL on the spot.
     */
    public void createInstancesTable(Connection c) throws SQLException {
        if (exists(c, "instances")) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(queryTimeoutSeconds);
            for (String statement : sql.createInstancesTable(stateSchema, table("instances"))) {
                s.execute(statement);
            }
        }
    }

    private boolean exists(Connection c, String stateTable) throws SQLException {
        try (PreparedStatement s = prepare(c, sql.tableExists())) {
            s.setString(1, stateSchema);
            s.setString(2, stateTable);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private PreparedStatement prepare(Connection c, String statement) throws SQLException {
        PreparedStatement s = c.prepareStatement(statement);
        s.setQueryTimeout(queryTimeoutSeconds);
        return s;
    }

    public interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction, leaving the connection's auto-commit mode as it found it. The other
     * methods run in whatever transaction is open.
     */
    public static <T> T transaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Like {@link #transaction}, at READ COMMITTED whatever isolation the application's pool uses (restored
     * afterwards), so every statement sees what was committed before it, as on PostgreSQL by default. At
     * REPEATABLE READ (MariaDB's default) a snapshot taken before the registry lock was granted would miss the
     * phase that the lock's holder committed.
     */
    public static <T> T readCommitted(Connection c, Work<T> work) throws SQLException {
        int isolation = c.getTransactionIsolation();
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try {
            return transaction(c, work);
        } finally {
            c.setTransactionIsolation(isolation);
        }
    }
}
