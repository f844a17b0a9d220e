package dev.tandem.coordinator.internal.state;

import static dev.tandem.state.StateSchema.BACKFILL_RANGES;

import dev.tandem.coordinator.state.BackfillRange;
import dev.tandem.state.Jdbc;
import dev.tandem.state.StateLocks;
import dev.tandem.state.StateSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The coordinator's state on MariaDB, in a database of its own (default {@code tandem}); runs serialized by a
 * named lock ({@code GET_LOCK}), which the server releases when the session ends.
 */
final class MariaDbStateStore extends JdbcStateStore {

    MariaDbStateStore(StateSchema schema) {
        super(schema);
    }

    private String lockName(String targetSchema) {
        return StateLocks.mariaDbRunLock(stateSchema(), targetSchema);
    }

    /**
     * GET_LOCK has no shared mode: a backfill takes the run lock exclusively, so its workers run in this
     * process only, while another process's backfill waits like any other run.
     */
    @Override
    protected boolean tryLock(Connection c, String targetSchema, Duration wait, boolean shared) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            s.setString(1, lockName(targetSchema));
            s.setDouble(2, wait.toMillis() / 1000.0);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        }
    }

    @Override
    protected void unlock(Connection c, String targetSchema, boolean shared) throws SQLException {
        Jdbc.update(c, "DO RELEASE_LOCK(?)", lockName(targetSchema));
    }

    @Override
    protected String lockHolder(Connection c, String targetSchema) {
        try (PreparedStatement s = Jdbc.prepare(c, "SELECT ID, USER, HOST FROM information_schema.PROCESSLIST"
                + " WHERE ID = IS_USED_LOCK(?)", lockName(targetSchema)); ResultSet rows = s.executeQuery()) {
            return rows.next() ? " (connection " + rows.getLong(1) + " of " + rows.getString(2) + " from "
                    + rows.getString(3) + ")" : "";
        } catch (SQLException e) {
            return "";
        }
    }

    @Override
    protected String snapshotRead() {
        return "snapshot";
    }

    @Override
    protected String snapshotWrite() {
        return "?";
    }

    @Override
    protected String leaseHeld(String range) {
        return "(" + range + ".owner_connection IS NOT NULL AND " + range + ".expires_at > NOW(6) AND EXISTS (SELECT 1"
                + " FROM information_schema.PROCESSLIST p WHERE p.ID = " + range + ".owner_connection))";
    }

    @Override
    protected String leaseHolder() {
        return "owner_connection = CONNECTION_ID()";
    }

    @Override
    protected String leaseReleased() {
        return "owner_connection = NULL, expires_at = NULL";
    }

    @Override
    protected String progressColumns() {
        return "t.table_name, t.estimate, COALESCE(SUM(r.rows_done), 0), COUNT(r.range_no) > 0 AND MIN(r.done) = 1,"
                + " GREATEST(t.planned_at, COALESCE(MAX(r.updated_at), t.planned_at)), COALESCE(SUM(r.paused_ms), 0),"
                + " COALESCE(SUM(r.done), 0), COUNT(r.range_no), COALESCE(SUM(NOT r.done AND " + leaseHeld("r")
                + "), 0)";
    }

    /**
     * MariaDB cannot update a table in a statement whose subquery reads it: the range is picked, locked, and
     * leased in one short transaction.
     */
    @Override
    public Optional<BackfillRange> claimRange(Connection c, String targetSchema, String name, String table,
                                              String owner, Duration lease) throws SQLException {
        return Jdbc.inTransaction(c, () -> {
            BackfillRange range;
            try (PreparedStatement s = Jdbc.prepare(c, claimable(RANGE_COLUMNS), targetSchema, name, table);
                 ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                range = range(table, r);
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE " + table(BACKFILL_RANGES) + " SET owner = ?,"
                    + " owner_connection = CONNECTION_ID(), expires_at = " + expiry() + ", updated_at = NOW(6)"
                    + " WHERE target_schema = ? AND migration = ? AND table_name = ? AND range_no = ?")) {
                s.setString(1, owner);
                s.setLong(2, lease.toMillis());
                s.setString(3, targetSchema);
                s.setString(4, name);
                s.setString(5, table);
                s.setInt(6, range.rangeNo());
                s.executeUpdate();
            }
            return Optional.of(range);
        });
    }
}
