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
import java.util.stream.Collectors;

/**
 * All SQL of the dual-write library, for PostgreSQL. Reads the coordinator's {@code migrations} table with
 * plain JDBC (the application does not depend on the coordinator) and writes the {@code instances} registry.
 * Every statement names its schema, so it works on connections of any search_path, and carries a query
 * timeout.
 */
public final class PostgresState {
    /** The first key of the coordinator's advisory locks ('tand'). */
    private static final int LOCK_CLASS = 0x74616e64;
    /** The coordinator's install takes this same transaction lock, so both never create tables at once. */
    private static final String INSTALL_LOCK = "SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", 0)";
    /** The coordinator's contract takes the same lock exclusively. */
    private static final String REGISTRY_LOCK = "SELECT pg_advisory_xact_lock_shared(" + LOCK_CLASS + ", 1)";

    private final String stateSchema;
    private final int queryTimeoutSeconds;

    public PostgresState(String stateSchema, int queryTimeoutSeconds) {
        this.stateSchema = stateSchema;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /** The statement that puts a session on {@code schemas}, first one first. */
    public static String setSearchPath(List<String> schemas) {
        return "SET search_path TO " + schemas.stream().map(PostgresState::ident).collect(Collectors.joining(", "));
    }

    private static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private String table(String name) {
        return ident(stateSchema) + "." + ident(name);
    }

    /** The migrations recorded for {@code targetSchema}, oldest first; none when Tandem never ran here. */
    public List<MigrationRow> migrations(Connection c, String targetSchema) throws SQLException {
        List<MigrationRow> rows = new ArrayList<>();
        if (!exists(c, table("migrations"))) {
            return rows;
        }
        try (PreparedStatement s = prepare(c, "SELECT name, phase, source, version_schema, previous_version_schema"
                + " FROM " + table("migrations") + " WHERE target_schema = ? ORDER BY created_at, name")) {
            s.setString(1, targetSchema);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new MigrationRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5)));
                }
            }
        }
        return rows;
    }

    /** Those of {@code schemas} that exist. */
    public Set<String> existingSchemas(Connection c, Collection<String> schemas) throws SQLException {
        Set<String> existing = new HashSet<>();
        try (PreparedStatement s = prepare(c, "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", schemas.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    existing.add(r.getString(1));
                }
            }
        }
        return existing;
    }

    /**
     * Takes the registry lock shared until the transaction ends. An instance holds it while it checks the phase
     * and registers, and contract holds it exclusively while it looks for live instances and sets its phase, so
     * either contract sees the instance or the instance sees that contract has begun.
     */
    public void lockRegistry(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(queryTimeoutSeconds);
            s.execute(REGISTRY_LOCK);
        }
    }

    /**
     * Records that {@code instance} is alive now; writes its row again if someone deleted it.
     *
     * @return the row as stored, with its start time
     */
    public InstanceRow heartbeat(Connection c, InstanceRow instance) throws SQLException {
        try (PreparedStatement s = prepare(c, "INSERT INTO " + table("instances") + " (instance_id, target_schema,"
                + " version, host, started_at, last_seen) VALUES (?, ?, ?, ?, coalesce(?, now()), clock_timestamp())"
                + " ON CONFLICT (instance_id) DO UPDATE SET target_schema = excluded.target_schema,"
                + " version = excluded.version, host = excluded.host, started_at = excluded.started_at,"
                + " last_seen = excluded.last_seen RETURNING started_at")) {
            s.setString(1, instance.id());
            s.setString(2, instance.targetSchema());
            s.setString(3, instance.version());
            s.setString(4, instance.host());
            s.setTimestamp(5, instance.startedAt() == null ? null : Timestamp.from(instance.startedAt()));
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
     * not to create tables works once the table exists.
     */
    public void createInstancesTable(Connection c) throws SQLException {
        if (exists(c, table("instances"))) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(queryTimeoutSeconds);
            s.execute(INSTALL_LOCK);
            s.execute("CREATE SCHEMA IF NOT EXISTS " + ident(stateSchema));
            s.execute("CREATE TABLE IF NOT EXISTS " + table("instances") + " (instance_id text PRIMARY KEY,"
                    + " target_schema text NOT NULL, version text NOT NULL, host text NOT NULL,"
                    + " started_at timestamptz NOT NULL, last_seen timestamptz NOT NULL)");
        }
    }

    private boolean exists(Connection c, String qualifiedTable) throws SQLException {
        try (PreparedStatement s = prepare(c, "SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, qualifiedTable);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
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
}
