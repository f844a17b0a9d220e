package dev.tandem.coordinator.internal.dialect.mariadb;

import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect.ident;
import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbSql.table;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.CopyTrigger;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.Template;
import dev.tandem.coordinator.internal.schema.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders a {@link CopyTrigger} as one row trigger per event, and {@link Ddl.SeedRows} as INSERTs. The version is
 * told as {@link MariaDbSyncTriggers} tells it, by {@link MariaDbDialect#VERSION_VARIABLE}, which the trigger's own
 * write to the other table still sees, so the other table's copy trigger leaves that write alone. A trigger may
 * write another table, never its own (error 1442): the copy triggers of the two tables each write only the other,
 * and only for the version the other's trigger ignores, so neither runs a statement on a table its statement uses.
 */
final class MariaDbRowCopyTriggers {
    private static final String BODY = """
            BEGIN
              IF {backfill} IS NULL AND {version} THEN
                IF {condition} THEN
                  {action};
                END IF;
              END IF;
            END""";

    private MariaDbRowCopyTriggers() {
    }

    /**
     * The insert trigger last: the backfill skips a row the other table has, so once the insert trigger carries a
     * row there, the triggers that carry its updates and its delete must be in place already.
     */
    static List<String> create(CopyTrigger trigger) {
        boolean update = trigger.mode() == CopyTrigger.Mode.UPDATE;
        List<String> statements = new ArrayList<>();
        if (update) {
            statements.add(trigger(trigger, "DELETE", "TRUE", setOther(trigger, "OLD", true)));
        }
        statements.add(trigger(trigger, "UPDATE", "(" + joined(trigger.carried(), c -> "NOT (NEW." + ident(c) + " <=> OLD."
                + ident(c) + ")", " OR ") + ") AND " + joined(trigger.key(), c -> "NEW." + ident(c) + " IS NOT NULL",
                " AND "), update ? setOther(trigger, "NEW", false) : upsert(trigger)));
        statements.add(trigger(trigger, "INSERT", joined(trigger.carried(), c -> "NEW." + ident(c) + " IS NOT NULL", " OR "),
                update ? setOther(trigger, "NEW", false) : upsert(trigger)));
        return statements;
    }

    static List<String> drop(CopyTrigger trigger) {
        return List.of("DROP TRIGGER IF EXISTS " + name(trigger, "INSERT"), "DROP TRIGGER IF EXISTS " + name(trigger, "UPDATE"),
                "DROP TRIGGER IF EXISTS " + name(trigger, "DELETE"));
    }

    /** The listed values in order, then the source's other values; values the table has already are skipped. */
    static List<String> seed(Ddl.SeedRows seed) {
        String column = ident(seed.column());
        String insert = "INSERT INTO " + table(seed.table()) + " (" + column + ") ";
        String duplicate = " ON DUPLICATE KEY UPDATE " + column + " = " + column;
        List<String> statements = new ArrayList<>();
        if (!seed.values().isEmpty()) {
            statements.add(insert + "VALUES " + seed.values().stream().map(v -> "(" + literal(v) + ")")
                    .collect(Collectors.joining(", ")) + duplicate);
        }
        if (seed.source() != null) {
            String value = ident(seed.sourceColumn());
            // the next transaction only, the INSERT: under READ COMMITTED it reads the source as a consistent read,
            // where REPEATABLE READ would hold a shared lock on every row of it until the INSERT ends
            statements.add("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
            statements.add(insert + "SELECT DISTINCT " + value
                    + " FROM " + table(seed.source()) + " WHERE " + value + " IS NOT NULL ORDER BY " + value + duplicate);
        }
        return statements;
    }

    private static String trigger(CopyTrigger trigger, String event, String condition, String action) {
        String version = MariaDbDialect.VERSION_VARIABLE + " <=> " + literal(trigger.newVersionSchema());
        return "CREATE OR REPLACE TRIGGER " + name(trigger, event) + (trigger.before() ? " BEFORE " : " AFTER ") + event
                + " ON " + table(trigger.table()) + " FOR EACH ROW\n" + Template.fill(BODY, Map.of(
                "backfill", MariaDbDialect.BACKFILL_VARIABLE,
                "version", trigger.newVersionWrites() ? version : "NOT (" + version + ")",
                "condition", condition, "action", action));
    }

    /** Triggers live in their table's database; names are unique per database. */
    private static String name(CopyTrigger trigger, String event) {
        return table(new TableRef(trigger.table().schema(), Names.bounded(trigger.name() + "_" + event.toLowerCase())));
    }

    private static String upsert(CopyTrigger trigger) {
        List<String> other = trigger.toColumns().subList(trigger.keyColumns(), trigger.toColumns().size());
        List<String> set = other.isEmpty() ? trigger.toColumns().subList(0, 1) : other;
        return "INSERT INTO " + table(trigger.to()) + " (" + joined(trigger.toColumns(), MariaDbDialect::ident, ", ")
                + ") VALUES (" + joined(trigger.columns(), c -> "NEW." + ident(c), ", ") + ") ON DUPLICATE KEY UPDATE "
                + joined(set, c -> ident(c) + " = VALUES(" + ident(c) + ")", ", ");
    }

    private static String setOther(CopyTrigger trigger, String row, boolean toNull) {
        int key = trigger.keyColumns();
        List<String> set = new ArrayList<>();
        for (int i = key; i < trigger.columns().size(); i++) {
            set.add(ident(trigger.toColumns().get(i)) + " = " + (toNull ? "NULL" : row + "." + ident(trigger.columns().get(i))));
        }
        List<String> where = new ArrayList<>();
        for (int i = 0; i < key; i++) {
            where.add(ident(trigger.toColumns().get(i)) + " = " + row + "." + ident(trigger.columns().get(i)));
        }
        return "UPDATE " + table(trigger.to()) + " SET " + String.join(", ", set) + " WHERE " + String.join(" AND ", where);
    }

    private static String joined(List<String> columns, Function<String, String> each, String separator) {
        return columns.stream().map(each).collect(Collectors.joining(separator));
    }
}
