package dev.tandem.coordinator.dialect.postgres;

import static dev.tandem.coordinator.sql.Quoting.ident;

import dev.tandem.coordinator.backfill.BatchStatements;
import dev.tandem.coordinator.ddl.TableRef;
import dev.tandem.coordinator.engine.BackfillTarget;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Backfill batches as key-range UPDATEs, bounded by a row comparison over the primary key. */
public final class PostgresBatchStatements implements BatchStatements {

    @Override
    public String markTransaction() {
        return "SET LOCAL " + PostgresDialect.BACKFILL_SETTING + " = 'on'";
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
        return "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass('" + PostgresDialect.table(table)
                .replace("'", "''") + "')";
    }

    @Override
    public String count(TableRef table) {
        return "SELECT count(*) FROM " + PostgresDialect.table(table);
    }

    @Override
    public String sampleKeys(TableRef table, List<BackfillTarget.KeyColumn> key) {
        // BERNOULLI picks rows, not pages: quantiles of a page sample would follow the physical order
        return "SELECT " + columns(key) + " FROM " + PostgresDialect.table(table) + " TABLESAMPLE BERNOULLI (?)"
                + " ORDER BY " + columns(key);
    }

    @Override
    public String upperBound(TableRef table, List<BackfillTarget.KeyColumn> key, boolean fromStart, boolean toEnd) {
        return "SELECT " + columns(key) + " FROM " + PostgresDialect.table(table)
                + String.join(" AND ", bounds(key, fromStart, toEnd)).transform(w -> w.isEmpty() ? "" : " WHERE " + w)
                + " ORDER BY " + columns(key) + " OFFSET ? LIMIT 1";
    }

    @Override
    public String update(TableRef table, BackfillTarget target, boolean fromStart, boolean toEnd) {
        String set = target.columns().stream()
                .map(f -> ident(f.column()) + " = CASE WHEN " + ident(f.column()) + " IS NULL THEN "
                        + f.up().wrapped() + " ELSE " + ident(f.column()) + " END")
                .collect(Collectors.joining(", "));
        String pending = target.columns().stream().map(f -> ident(f.column()) + " IS NULL")
                .collect(Collectors.joining(" OR "));
        return "UPDATE " + PostgresDialect.table(table) + " SET " + set + " WHERE (" + pending + ")"
                + bounds(target.key(), fromStart, toEnd).stream().map(c -> " AND " + c).collect(Collectors.joining());
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
    public String checkCounts(TableRef table, BackfillTarget target, boolean sampled) {
        return "SELECT count(*), count(*) FILTER (WHERE pending), count(*) FILTER (WHERE differs) FROM ("
                + checked(table, target, sampled) + ") AS checked";
    }

    @Override
    public String checkMismatches(TableRef table, BackfillTarget target, boolean sampled, int limit) {
        return "SELECT " + columns(target.key()) + ", pending FROM (" + checked(table, target, sampled)
                + ") AS checked WHERE pending OR differs ORDER BY " + columns(target.key()) + " LIMIT " + limit;
    }

    /** Each row's key, whether it still needs backfill and whether its filled target differs from up(row). */
    private static String checked(TableRef table, BackfillTarget target, boolean sampled) {
        String pending = target.columns().stream().map(f -> "(" + ident(f.column()) + " IS NULL AND " + f.up().wrapped()
                + " IS NOT NULL)").collect(Collectors.joining(" OR "));
        String differs = target.columns().stream().map(f -> "(" + ident(f.column()) + " IS NOT NULL AND "
                + ident(f.column()) + " IS DISTINCT FROM " + f.up().wrapped() + ")").collect(Collectors.joining(" OR "));
        String rows = sampled ? "(SELECT * FROM " + PostgresDialect.table(table)
                + " TABLESAMPLE BERNOULLI (?) REPEATABLE (?) LIMIT ?)" : PostgresDialect.table(table);
        return "SELECT " + columns(target.key()) + ", " + pending + " AS pending, " + differs + " AS differs FROM "
                + rows + " AS " + ident(target.table());
    }

    /** The conditions that bound a key range. */
    private static List<String> bounds(List<BackfillTarget.KeyColumn> key, boolean fromStart, boolean toEnd) {
        List<String> bounds = new ArrayList<>();
        if (!fromStart) {
            bounds.add(row(key) + " > " + values(key));
        }
        if (!toEnd) {
            bounds.add(row(key) + " <= " + values(key));
        }
        return bounds;
    }

    private static String columns(List<BackfillTarget.KeyColumn> key) {
        return key.stream().map(k -> ident(k.name())).collect(Collectors.joining(", "));
    }

    private static String row(List<BackfillTarget.KeyColumn> key) {
        return "ROW(" + columns(key) + ")";
    }

    private static String values(List<BackfillTarget.KeyColumn> key) {
        return "ROW(" + key.stream().map(k -> "CAST(? AS " + k.type() + ")").collect(Collectors.joining(", ")) + ")";
    }
}
