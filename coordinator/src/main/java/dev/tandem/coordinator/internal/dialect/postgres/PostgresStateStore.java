package dev.tandem.coordinator.internal.dialect.postgres;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.internal.dialect.JdbcStateStore;
import dev.tandem.coordinator.internal.sql.Quoting;
import dev.tandem.coordinator.state.BackfillRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** State tables in their own PostgreSQL schema; runs serialized by a session advisory lock. */
public final class PostgresStateStore extends JdbcStateStore {
    /**
     * First key of Tandem's advisory locks ('tand'). The second is 0 for install, 1 for the instance registry,
     * and a hash of the schema's name for runs.
     */
    static final int LOCK_CLASS = 0x74616e64;

    public PostgresStateStore(String schema) {
        super(schema);
    }

    @Override
    protected String ident(String name) {
        return Quoting.ident(name);
    }

    @Override
    protected String schemaNoun() {
        return "schema";
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
    protected boolean tableExists(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, table(name));
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    @Override
    protected boolean transactionalDdl() {
        return true;
    }

    @Override
    protected List<String> installStatements() {
        return List.of("SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", 0)",
                "CREATE SCHEMA IF NOT EXISTS " + ident(stateSchema()),
                "CREATE TABLE IF NOT EXISTS " + table("layout") + " (version int NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + table("migrations") + " ("
                        + "target_schema text NOT NULL, name text NOT NULL, source text NOT NULL, checksum text NOT NULL,"
                        + " phase text NOT NULL, definition text NOT NULL, snapshot jsonb NOT NULL,"
                        + " version_schema text NOT NULL, previous_version_schema text,"
                        + " created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),"
                        + " PRIMARY KEY (target_schema, name))",
                "CREATE TABLE IF NOT EXISTS " + table("history") + " (id bigserial PRIMARY KEY,"
                        + " target_schema text NOT NULL, migration text NOT NULL, event text NOT NULL,"
                        + " at timestamptz NOT NULL DEFAULT clock_timestamp(), detail text)",
                "CREATE TABLE IF NOT EXISTS " + table("steps") + " (target_schema text NOT NULL,"
                        + " migration text NOT NULL, step text NOT NULL,"
                        + " done_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                        + " PRIMARY KEY (target_schema, migration, step))",
                "CREATE TABLE IF NOT EXISTS " + table("backfill_tables") + " (target_schema text NOT NULL,"
                        + " migration text NOT NULL, table_name text NOT NULL, estimate bigint NOT NULL,"
                        + " planned_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                        + " PRIMARY KEY (target_schema, migration, table_name))",
                "CREATE TABLE IF NOT EXISTS " + table("backfill_ranges") + " (target_schema text NOT NULL,"
                        + " migration text NOT NULL, table_name text NOT NULL, range_no int NOT NULL, lower_key text,"
                        + " upper_key text, last_key text, rows_done bigint NOT NULL DEFAULT 0,"
                        + " batches int NOT NULL DEFAULT 0, paused_ms bigint NOT NULL DEFAULT 0,"
                        + " done boolean NOT NULL DEFAULT false, owner text, owner_pid int, owner_started timestamptz,"
                        + " expires_at timestamptz, updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                        + " PRIMARY KEY (target_schema, migration, table_name, range_no))",
                "INSERT INTO " + table("layout") + " SELECT " + LAYOUT_VERSION + " WHERE NOT EXISTS (SELECT 1 FROM "
                        + table("layout") + ")");
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
        return stateSchema() + "/" + targetSchema;
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
    protected String onConflict(String key, List<String> columns) {
        return " ON CONFLICT (" + key + ") DO UPDATE SET "
                + columns.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
    }

    @Override
    protected String insertIfAbsent(String into) {
        return "INSERT INTO " + into + " ON CONFLICT DO NOTHING";
    }

    @Override
    protected String now() {
        return "now()";
    }

    @Override
    protected String clock() {
        return "clock_timestamp()";
    }

    @Override
    protected String millis() {
        return "? * interval '1 millisecond'";
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
        String sql = "UPDATE " + table("backfill_ranges") + " SET owner = ?, owner_pid = pg_backend_pid(),"
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

    /** The dual-write library takes the same lock shared while an instance checks the phase and registers. */
    @Override
    public void lockInstanceRegistry(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", 1)");
        }
    }
}
