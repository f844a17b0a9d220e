package dev.tandem.coordinator.internal.dialect;

import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.ddl.BackfillTarget.KeyColumn;
import dev.tandem.coordinator.internal.ddl.KeyRange;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The backfill's statements that both dialects build alike: key-range UPDATEs and checks, bounded by comparing
 * the key's columns with parameters. A dialect supplies its quoting and the few clauses it spells its own way.
 */
public abstract class KeyRangeStatements implements BatchStatements {

    protected abstract String ident(String name);

    /** The backfill's {@code up} expression as this dialect writes it. */
    protected abstract String expression(SqlExpression up);

    /** The key's columns as one value to compare with {@link #values}. */
    protected abstract String row(List<KeyColumn> key);

    /** Parameters for the key's values, one per column, compared with {@link #row}. */
    protected abstract String values(List<KeyColumn> key);

    /** True when {@code left} and {@code right} differ, a NULL differing from any value but NULL. */
    protected abstract String distinct(String left, String right);

    /** The condition or clause that samples the table's rows; parameters: the percentage, then a seed. */
    protected abstract String repeatableSample();

    /** The clause of an INSERT into {@code table} that skips a row whose {@code key} the table holds already. */
    protected abstract String skipExisting(TableRef table, String key);

    @Override
    public final String upperBound(TableRef table, List<KeyColumn> key, KeyRange range) {
        return "SELECT " + columns(key) + " FROM " + table(table)
                + String.join(" AND ", bounds(key, range)).transform(w -> w.isEmpty() ? "" : " WHERE " + w)
                + " ORDER BY " + columns(key) + " LIMIT 1 OFFSET ?";
    }

    @Override
    public String update(TableRef table, BackfillTarget target, KeyRange range) {
        if (target.rowCopy() != null) {
            return copyRows(table, target, range);
        }
        String set = Stream.concat(target.columns().stream()
                .map(f -> ident(f.column()) + " = CASE WHEN " + ident(f.column()) + " IS NULL THEN "
                        + expression(f.up()) + " ELSE " + ident(f.column()) + " END"),
                target.restated().stream().map(c -> ident(c) + " = " + ident(c)))
                .collect(Collectors.joining(", "));
        String pending = target.columns().stream().map(f -> ident(f.column()) + " IS NULL")
                .collect(Collectors.joining(" OR "));
        return "UPDATE " + table(table) + " SET " + set + " WHERE (" + pending + ")"
                + bounds(target.key(), range).stream().map(c -> " AND " + c).collect(Collectors.joining());
    }

    /** Copies the rows of the key range into the other table. */
    private String copyRows(TableRef table, BackfillTarget target, KeyRange range) {
        BackfillTarget.RowCopy copy = target.rowCopy();
        return "INSERT INTO " + table(copy.to()) + " (" + ident(copy.toKey()) + ", " + copy.toColumns().stream()
                .map(this::ident).collect(Collectors.joining(", ")) + ") SELECT " + columns(target.key()) + ", "
                + copy.columns().stream().map(this::ident).collect(Collectors.joining(", ")) + " FROM " + table(table)
                + " WHERE (" + held(copy, null) + ")"
                + bounds(target.key(), range).stream().map(c -> " AND " + c).collect(Collectors.joining())
                + skipExisting(copy.to(), copy.toKey());
    }

    /** True when the row holds a value to copy. */
    private String held(BackfillTarget.RowCopy copy, String alias) {
        return copy.columns().stream().map(c -> (alias == null ? "" : alias + ".") + ident(c) + " IS NOT NULL")
                .collect(Collectors.joining(" OR "));
    }

    @Override
    public final String checkMismatches(TableRef table, BackfillTarget target, boolean sampled, int limit) {
        return "SELECT " + columns(target.key()) + ", pending FROM (" + checked(table, target, sampled)
                + ") AS checked WHERE pending OR differs ORDER BY " + columns(target.key()) + " LIMIT " + limit;
    }

    /**
     * Each row's key, whether it still needs backfill and whether its filled target differs from up(row). The
     * sample's parameters: the percentage, a seed (the same seed, the same rows), the most rows.
     */
    protected final String checked(TableRef table, BackfillTarget target, boolean sampled) {
        String rows = sampled ? "(SELECT * FROM " + table(table) + " " + repeatableSample() + " LIMIT ?)"
                : table(table);
        if (target.rowCopy() != null) {
            return checkedRowCopy(target, rows);
        }
        if (target.copyTable() != null) {
            return checkedCopy(table, target, rows);
        }
        String pending = target.columns().stream().map(f -> "(" + ident(f.column()) + " IS NULL AND "
                + expression(f.up()) + " IS NOT NULL)").collect(Collectors.joining(" OR "));
        String differs = target.columns().stream().map(f -> "(" + ident(f.column()) + " IS NOT NULL AND "
                + distinct(ident(f.column()), expression(f.up())) + ")").collect(Collectors.joining(" OR "));
        return "SELECT " + columns(target.key()) + ", " + pending + " AS pending, " + differs + " AS differs FROM "
                + rows + " AS " + ident(target.table());
    }

    /** A row is pending while the other table has no row for it, and differs when that row holds other values. */
    private String checkedRowCopy(BackfillTarget target, String rows) {
        BackfillTarget.RowCopy copy = target.rowCopy();
        String row = ident(target.table());
        String to = ident("_tandem_to");
        String matching = "SELECT 1 FROM " + table(copy.to()) + " AS " + to + " WHERE " + to + "." + ident(copy.toKey())
                + " = " + row + "." + ident(target.key().get(0).name());
        List<String> differs = new ArrayList<>();
        for (int i = 0; i < copy.columns().size(); i++) {
            differs.add(distinct(to + "." + ident(copy.toColumns().get(i)), row + "." + ident(copy.columns().get(i))));
        }
        return "SELECT " + target.key().stream().map(k -> row + "." + ident(k.name())).collect(Collectors.joining(", "))
                + ", (" + held(copy, row) + ") AND NOT EXISTS (" + matching + ") AS pending, EXISTS (" + matching
                + " AND (" + String.join(" OR ", differs) + ")) AS differs FROM " + rows + " AS " + row;
    }

    /**
     * As {@link #checked}, for a copy: a row is pending while the copy lacks its key. The copy's columns are read
     * under names of their own, so that {@code up} reads the table's row by the names it uses.
     */
    private String checkedCopy(TableRef table, BackfillTarget target, String rows) {
        String source = ident(target.table());
        String copy = ident("_tandem_copy");
        List<String> read = new ArrayList<>();
        for (int i = 0; i < target.key().size(); i++) {
            read.add(ident(target.key().get(i).name()) + " AS " + ident("_tandem_k" + i));
        }
        for (int i = 0; i < target.columns().size(); i++) {
            read.add(ident(target.columns().get(i).column()) + " AS " + ident("_tandem_c" + i));
        }
        String pending = copy + "." + ident("_tandem_k0") + " IS NULL";
        List<String> differs = new ArrayList<>();
        for (int i = 0; i < target.columns().size(); i++) {
            differs.add(distinct(copy + "." + ident("_tandem_c" + i), expression(target.columns().get(i).up())));
        }
        List<String> join = new ArrayList<>();
        for (int i = 0; i < target.key().size(); i++) {
            join.add(copy + "." + ident("_tandem_k" + i) + " = " + source + "." + ident(target.key().get(i).name()));
        }
        return "SELECT " + target.key().stream().map(k -> source + "." + ident(k.name()))
                .collect(Collectors.joining(", ")) + ", " + pending + " AS pending, NOT (" + pending + ") AND ("
                + String.join(" OR ", differs) + ") AS differs FROM " + rows + " AS " + source + " LEFT JOIN (SELECT "
                + String.join(", ", read) + " FROM " + table(table.withName(target.copyTable())) + ") AS " + copy + " ON "
                + String.join(" AND ", join);
    }

    protected final String table(TableRef table) {
        return ident(table.schema()) + "." + ident(table.name());
    }

    protected final String columns(List<KeyColumn> key) {
        return key.stream().map(k -> ident(k.name())).collect(Collectors.joining(", "));
    }

    /** The conditions that bound a key range. */
    protected final List<String> bounds(List<KeyColumn> key, KeyRange range) {
        List<String> bounds = new ArrayList<>();
        if (!range.fromStart()) {
            bounds.add(row(key) + " > " + values(key));
        }
        if (!range.toEnd()) {
            bounds.add(row(key) + " <= " + values(key));
        }
        return bounds;
    }
}
