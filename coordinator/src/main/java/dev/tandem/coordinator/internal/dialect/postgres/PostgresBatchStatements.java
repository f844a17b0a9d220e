package dev.tandem.coordinator.internal.dialect.postgres;

import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.KeyRangeStatements;
import dev.tandem.coordinator.internal.sql.Quoting;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/** Backfill batches as key-range UPDATEs, bounded by a row comparison over the primary key. */
public final class PostgresBatchStatements extends KeyRangeStatements {

    /**
     * Also commits the batch without waiting for its WAL to reach the disk: a crash can lose the last batches, but
     * only together with their checkpoints (one transaction), so the next run fills those rows again; and it cannot
     * lose an application's acknowledged write, whose commit waits for all WAL before it, the batches' included.
     */
    @Override
    public String markTransaction() {
        return "SET LOCAL " + PostgresDialect.BACKFILL_SETTING + " = 'on'; SET LOCAL synchronous_commit = off";
    }

    @Override
    public String statementTimeout(long millis) {
        return "SET LOCAL statement_timeout = " + millis;
    }

    @Override
    public boolean isStatementTimeout(SQLException e) {
        return "57014".equals(e.getSQLState());
    }

    @Override
    public String estimate(TableRef table) {
        return "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass('" + table(table)
                .replace("'", "''") + "')";
    }

    @Override
    public String count(TableRef table) {
        return "SELECT count(*) FROM " + table(table);
    }

    @Override
    public String sampleKeys(TableRef table, List<BackfillTarget.KeyColumn> key) {
        // BERNOULLI picks rows, not pages: quantiles of a page sample would follow the physical order
        return "SELECT " + columns(key) + " FROM " + table(table) + " TABLESAMPLE BERNOULLI (?)"
                + " ORDER BY " + columns(key);
    }

    @Override
    public String activeSessions() {
        return "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND datname = current_database()"
                + " AND pid <> pg_backend_pid()";
    }

    @Override
    public String replicationLagMillis() {
        return "SELECT coalesce(max(extract(epoch FROM replay_lag) * 1000), 0)::bigint FROM pg_stat_replication";
    }

    @Override
    public String writtenPosition() {
        return "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint";
    }

    @Override
    public String replayedPosition() {
        return "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint";
    }

    @Override
    public boolean replayedUpTo(String replayed, String written) {
        return Long.parseLong(replayed) >= Long.parseLong(written);
    }

    @Override
    public String checkCounts(TableRef table, BackfillTarget target, boolean sampled) {
        return "SELECT count(*), count(*) FILTER (WHERE pending), count(*) FILTER (WHERE differs) FROM ("
                + checked(table, target, sampled) + ") AS checked";
    }

    @Override
    protected String ident(String name) {
        return Quoting.ident(name);
    }

    @Override
    protected String expression(SqlExpression up) {
        return up.wrapped();
    }

    @Override
    protected String row(List<BackfillTarget.KeyColumn> key) {
        return "ROW(" + columns(key) + ")";
    }

    @Override
    protected String values(List<BackfillTarget.KeyColumn> key) {
        return "ROW(" + key.stream().map(k -> "CAST(? AS " + k.type() + ")").collect(Collectors.joining(", ")) + ")";
    }

    @Override
    protected String distinct(String left, String right) {
        return left + " IS DISTINCT FROM " + right;
    }

    @Override
    protected String skipExisting(TableRef table, String key) {
        return " ON CONFLICT (" + ident(key) + ") DO NOTHING";
    }

    @Override
    protected String repeatableSample() {
        return "TABLESAMPLE BERNOULLI (?) REPEATABLE (?)";
    }
}
