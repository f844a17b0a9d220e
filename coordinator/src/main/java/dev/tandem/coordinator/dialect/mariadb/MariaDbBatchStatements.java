package dev.tandem.coordinator.dialect.mariadb;

import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.expression;
import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.ident;
import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.names;
import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.table;
import static dev.tandem.coordinator.sql.Quoting.literal;

import dev.tandem.coordinator.backfill.BatchStatements;
import dev.tandem.coordinator.ddl.TableRef;
import dev.tandem.coordinator.engine.BackfillTarget;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Backfill batches as key-range UPDATEs. A one-column key is compared as itself, so the range uses the
 * primary key index; a longer key as a row. Key values travel as text and MariaDB converts them to the
 * column's type in the comparison.
 */
final class MariaDbBatchStatements implements BatchStatements {

    /** A session variable (MariaDB has no transaction-local one); cleared when the next run starts. */
    @Override
    public String markTransaction() {
        return "SET " + MariaDbDialect.BACKFILL_VARIABLE + " = 1";
    }

    @Override
    public String statementTimeout(long millis) {
        return "SET SESSION max_statement_time = " + millis / 1000.0;
    }

    @Override
    public String estimate(TableRef table) {
        return "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal(table.schema())
                + " AND TABLE_NAME = " + literal(table.name());
    }

    @Override
    public String upperBound(TableRef table, List<BackfillTarget.KeyColumn> key, boolean fromStart) {
        return "SELECT " + columns(key) + " FROM " + table(table)
                + (fromStart ? "" : " WHERE " + row(key) + " > " + values(key))
                + " ORDER BY " + columns(key) + " LIMIT 1 OFFSET ?";
    }

    @Override
    public String update(TableRef table, BackfillTarget target, boolean fromStart, boolean toEnd) {
        String set = target.columns().stream()
                .map(f -> ident(f.column()) + " = CASE WHEN " + ident(f.column()) + " IS NULL THEN "
                        + expression(f.up()) + " ELSE " + ident(f.column()) + " END")
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
        return "UPDATE " + table(table) + " SET " + set + where;
    }

    private static String columns(List<BackfillTarget.KeyColumn> key) {
        return names(key.stream().map(BackfillTarget.KeyColumn::name).toList());
    }

    private static String row(List<BackfillTarget.KeyColumn> key) {
        return key.size() == 1 ? columns(key) : "(" + columns(key) + ")";
    }

    private static String values(List<BackfillTarget.KeyColumn> key) {
        String marks = key.stream().map(k -> "?").collect(Collectors.joining(", "));
        return key.size() == 1 ? marks : "(" + marks + ")";
    }
}
