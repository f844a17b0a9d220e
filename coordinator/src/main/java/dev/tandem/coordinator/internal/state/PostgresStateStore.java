package dev.tandem.coordinator.internal.state;

import static dev.tandem.state.StateSchema.BACKFILL_RANGES;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.state.BackfillRange;
import dev.tandem.state.StateLocks;
import dev.tandem.state.StateSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/** The coordinator's state on PostgreSQL: runs serialized by a session advisory lock. */
final class PostgresStateStore extends JdbcStateStore {
    private static final int LOCK_CLASS = StateLocks.POSTGRES_CLASS;

    PostgresStateStore(StateSchema schema) {
        super(schema);
    }

    private String ident(String name) {
        return kind().ident(name);
    }

    @Override
    public String missingRight(Connection c) throws SQLException {
        String sql = "SELECT current_user, current_database(), has_database_privilege(current_database(), 'CREATE'), "
                + "n.oid IS NOT NULL, pg_get_userbyid(n.nspowner), coalesce(has_schema_privilege(n.oid, 'USAGE'), "
                + "false), coalesce(has_schema_privilege(n.oid, 'CREATE'), false) "
                + "FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, stateSchema());
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                String user = rows.getString(1);
                String database = rows.getString(2);
                if (!rows.getBoolean(4)) {
                    return rows.getBoolean(3) ? null : "user '" + user + "' may not create Tandem's state schema '"
                            + stateSchema() + "': that needs CREATE on database '" + database + "' (GRANT CREATE ON "
                            + "DATABASE " + ident(database) + " TO " + ident(user) + "), or create the schema "
                            + "beforehand (CREATE SCHEMA " + ident(stateSchema()) + " AUTHORIZATION " + ident(user) + ")";
                }
                String lacking = !rows.getBoolean(6) ? "USAGE" : !rows.getBoolean(7) ? "CREATE" : null;
                return lacking == null ? null : "user '" + user + "' lacks " + lacking + " on Tandem's state schema '"
                        + stateSchema() + "', which belongs to '" + rows.getString(5) + "': run as that user (or "
                        + "--role), or GRANT USAGE, CREATE ON SCHEMA " + ident(stateSchema()) + " TO " + ident(user)
                        + " and GRANT ALL ON ALL TABLES IN SCHEMA " + ident(stateSchema()) + " TO " + ident(user);
            }
        }
    }

    @Override
    protected boolean tryLock(Connection c, String targetSchema, Duration wait, boolean shared) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock" + mode(shared)
                    + "(?, hashtext(?))")) {
                s.setInt(1, LOCK_CLASS);
                s.setString(2, lockKey(targetSchema));
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        return true;
                    }
                }
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateConflictException("interrupted while waiting for the Tandem run lock");
            }
        }
    }

    @Override
    protected void unlock(Connection c, String targetSchema, boolean shared) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock" + mode(shared)
                + "(?, hashtext(?))")) {
            s.setInt(1, LOCK_CLASS);
            s.setString(2, lockKey(targetSchema));
            s.execute();
        }
    }

    /** The suffix of the advisory lock functions. */
    private static String mode(boolean shared) {
        return shared ? "_shared" : "";
    }

    private String lockKey(String targetSchema) {
        return StateLocks.runKey(stateSchema(), targetSchema);
    }

    /** Advisory locks are per database; pg_locks shows the second key, a signed hash, as an unsigned oid. */
    @Override
    protected String lockHolder(Connection c, String targetSchema) {
        String sql = "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.client_addr::text, 'local') "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND l.granted AND l.classid = ?::bigint::oid AND l.objid = (hashtext(?)::bigint & 4294967295)::oid";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, LOCK_CLASS);
            s.setString(2, lockKey(targetSchema));
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? " (pid " + rows.getInt(1) + ", application '" + rows.getString(2) + "', from "
                        + rows.getString(3) + ")" : "";
            }
        } catch (SQLException e) {
            return "";
        }
    }

    @Override
    protected String snapshotRead() {
        return "snapshot::text";
    }

    @Override
    protected String snapshotWrite() {
        return "?::jsonb";
    }

    @Override
    protected String leaseHeld(String range) {
        return range + ".owner_pid IS NOT NULL AND " + range + ".expires_at > clock_timestamp() AND EXISTS (SELECT 1"
                + " FROM pg_stat_activity a WHERE a.pid = " + range + ".owner_pid AND a.backend_start = " + range
                + ".owner_started)";
    }

    @Override
    protected String leaseHolder() {
        return "owner_pid = pg_backend_pid()";
    }

    @Override
    protected String leaseReleased() {
        return "owner_pid = NULL, owner_started = NULL, expires_at = NULL";
    }

    @Override
    protected String progressColumns() {
        return "t.table_name, t.estimate, coalesce(sum(r.rows_done), 0), count(r.range_no) > 0 AND bool_and(r.done),"
                + " greatest(t.planned_at, max(r.updated_at)), coalesce(sum(r.paused_ms), 0),"
                + " count(r.range_no) FILTER (WHERE r.done), count(r.range_no),"
                + " count(r.range_no) FILTER (WHERE NOT r.done AND " + leaseHeld("r") + ")";
    }

    @Override
    public Optional<BackfillRange> claimRange(Connection c, String targetSchema, String name, String table,
                                              String owner, Duration lease) throws SQLException {
        String sql = "UPDATE " + table(BACKFILL_RANGES) + " SET owner = ?, owner_pid = pg_backend_pid(),"
                + " owner_started = (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()),"
                + " expires_at = " + expiry() + ", updated_at = clock_timestamp()"
                + " WHERE (target_schema, migration, table_name, range_no) = ("
                + claimable("target_schema, migration, table_name, range_no") + ") RETURNING " + RANGE_COLUMNS;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, owner);
            s.setLong(2, lease.toMillis());
            s.setString(3, targetSchema);
            s.setString(4, name);
            s.setString(5, table);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(range(table, r)) : Optional.empty();
            }
        }
    }
}
