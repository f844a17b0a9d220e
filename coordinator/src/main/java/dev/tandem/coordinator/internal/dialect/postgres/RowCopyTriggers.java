package dev.tandem.coordinator.internal.dialect.postgres;

import static dev.tandem.coordinator.internal.sql.Quoting.ident;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.CopyTrigger;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.dialect.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders a {@link CopyTrigger} as a PL/pgSQL function and a row trigger, and {@link Ddl.SeedRows} as INSERTs. The
 * version that wrote the row is told as {@link SyncTriggers} tells it, by the first schema on the search path; the
 * trigger's own write to the other table runs with the same search path, so the other table's copy trigger, which
 * carries the other version's writes, leaves it alone and no write bounces back.
 */
final class RowCopyTriggers {
    private static final String BODY = """
            BEGIN
              IF ((current_schemas(false))[1] = {newVersionSchema}) IS {newVersion} THEN
                IF TG_OP = 'DELETE' THEN
            {delete}    ELSIF (TG_OP = 'INSERT' AND ({inserted})) OR (TG_OP = 'UPDATE' AND ({changed})) THEN
                  {action};
                END IF;
              END IF;
              RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END""";

    private RowCopyTriggers() {
    }

    static List<String> create(CopyTrigger trigger) {
        boolean update = trigger.mode() == CopyTrigger.Mode.UPDATE;
        String body = Template.fill(BODY, Map.of("newVersionSchema", literal(trigger.newVersionSchema()),
                "newVersion", trigger.newVersionWrites() ? "TRUE" : "NOT TRUE",
                "delete", update ? "      " + setOther(trigger, "OLD", true) + ";\n" : "      NULL;\n",
                "inserted", joined(trigger.carried(), c -> "NEW." + ident(c) + " IS NOT NULL", " OR "),
                "changed", "(" + joined(trigger.carried(), c -> "NEW." + ident(c) + " IS DISTINCT FROM OLD." + ident(c), " OR ")
                        + ") AND " + joined(trigger.key(), c -> "NEW." + ident(c) + " IS NOT NULL", " AND "),
                "action", update ? setOther(trigger, "NEW", false) : upsert(trigger)));
        String tag = "$tandem$";
        return List.of("CREATE OR REPLACE FUNCTION " + function(trigger) + "() RETURNS trigger LANGUAGE plpgsql AS "
                        + tag + "\n" + body + "\n" + tag,
                "CREATE TRIGGER " + ident(trigger.name()) + (trigger.before() ? " BEFORE" : " AFTER") + " INSERT OR UPDATE OF "
                        + joined(trigger.carried(), c -> ident(c), ", ") + (update ? " OR DELETE" : "") + " ON "
                        + PostgresSql.table(trigger.table()) + " FOR EACH ROW WHEN (current_setting("
                        + literal(PostgresDialect.BACKFILL_SETTING) + ", true) IS DISTINCT FROM 'on') EXECUTE FUNCTION "
                        + function(trigger) + "()");
    }

    static List<String> drop(CopyTrigger trigger) {
        return List.of("DROP TRIGGER IF EXISTS " + ident(trigger.name()) + " ON " + PostgresSql.table(trigger.table()),
                "DROP FUNCTION IF EXISTS " + function(trigger) + "()");
    }

    /**
     * The listed values in order, then the source's other values: values the table has, or that a concurrent
     * writer inserts first, are skipped.
     */
    static List<String> seed(Ddl.SeedRows seed) {
        String insert = "INSERT INTO " + PostgresSql.table(seed.table()) + " (" + ident(seed.column()) + ") ";
        String conflict = " ON CONFLICT (" + ident(seed.column()) + ") DO NOTHING";
        List<String> statements = new ArrayList<>();
        if (!seed.values().isEmpty()) {
            statements.add(insert + "SELECT v FROM (VALUES " + seed.values().stream().map(v -> "(" + literal(v) + ")")
                    .collect(Collectors.joining(", ")) + ") AS listed (v)" + conflict);
        }
        if (seed.source() != null) {
            String value = ident(seed.sourceColumn());
            statements.add(insert + "SELECT DISTINCT " + value + " FROM " + PostgresSql.table(seed.source()) + " WHERE "
                    + value + " IS NOT NULL ORDER BY " + value + conflict);
        }
        return statements;
    }

    private static String upsert(CopyTrigger trigger) {
        List<String> key = trigger.toColumns().subList(0, trigger.keyColumns());
        List<String> other = trigger.toColumns().subList(trigger.keyColumns(), trigger.toColumns().size());
        return "INSERT INTO " + PostgresSql.table(trigger.to()) + " (" + joined(trigger.toColumns(), c -> ident(c), ", ")
                + ") VALUES (" + joined(trigger.columns(), c -> "NEW." + ident(c), ", ") + ") ON CONFLICT ("
                + joined(key, c -> ident(c), ", ") + ") DO " + (other.isEmpty() ? "NOTHING"
                : "UPDATE SET " + joined(other, c -> ident(c) + " = excluded." + ident(c), ", "));
    }

    /** Sets the other table's matching row's columns to the row's ({@code toNull}: to NULL). */
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
        return "UPDATE " + PostgresSql.table(trigger.to()) + " SET " + String.join(", ", set) + " WHERE "
                + String.join(" AND ", where);
    }

    private static String function(CopyTrigger trigger) {
        return ident(trigger.functionSchema()) + "." + ident(trigger.name());
    }

    private static String joined(List<String> columns, Function<String, String> each, String separator) {
        return columns.stream().map(each).collect(Collectors.joining(separator));
    }
}
