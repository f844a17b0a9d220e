package dev.tandem.coordinator.dialect.postgres;

import static dev.tandem.coordinator.sql.Quoting.ident;

import dev.tandem.coordinator.backfill.BatchStatements;
import dev.tandem.coordinator.ddl.TableRef;
import dev.tandem.coordinator.engine.BackfillTarget;
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
    public String estimate(TableRef table) {
        return "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass('" + PostgresDialect.table(table)
                .replace("'", "''") + "')";
    }

    @Override
    public String upperBound(TableRef table, List<BackfillTarget.KeyColumn> key, boolean fromStart) {
        return "SELECT " + columns(key) + " FROM " + PostgresDialect.table(table)
                + (fromStart ? "" : " WHERE " + row(key) + " > " + values(key))
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
        StringBuilder where = new StringBuilder(" WHERE (").append(pending).append(')');
        if (!fromStart) {
            where.append(" AND ").append(row(target.key())).append(" > ").append(values(target.key()));
        }
        if (!toEnd) {
            where.append(" AND ").append(row(target.key())).append(" <= ").append(values(target.key()));
        }
        return "UPDATE " + PostgresDialect.table(table) + " SET " + set + where;
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
