package dev.tandem.coordinator.internal.dialect.postgres;

import static dev.tandem.coordinator.internal.sql.Quoting.ident;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.SyncTrigger;
import dev.tandem.coordinator.internal.dialect.Template;
import dev.tandem.coordinator.internal.schema.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link SyncTrigger} as a PL/pgSQL function and a BEFORE INSERT OR UPDATE row trigger.
 *
 * <p>Which version wrote the row is told by the first schema on the writer's search_path: the new version
 * works through its version schema. Each expression sees the row's columns as variables named as its own
 * version names them. On UPDATE a target is only recomputed when the expression's value changed, so a write
 * that touches other columns never overwrites a value the other version set. A required {@code up} target
 * that is still NULL marks a row the backfill has not reached: any update, from either version, fills it
 * from {@code up} as the backfill would, so its NOT VALID NOT NULL check never rejects an update of an old
 * row. The backfill sets {@link PostgresDialect#BACKFILL_SETTING} so the trigger stays out of its way.
 *
 * <p>That fill is only right for a target the update did not set. A new-version update that sets a target to NULL
 * on such a row (explicitly, or by computing from the NULL this version reads there, as {@code qty = qty + 10} does)
 * is refused: a required target with NOT NULL's error, another with {@code 55000} when the backfill would have put a
 * value there. One {@code BEFORE UPDATE OF target} trigger per target tells that the statement set it; its name sorts
 * before the sync trigger's, so it fires first and still sees the NULL.
 *
 * <p>The blocks that declare the variables carry the label {@code _tandem_row}: an expression's reference to the row
 * by the table's name ({@code orders.total}) becomes {@code _tandem_row."total"}, which still means the variable
 * inside a subquery over other tables. There a bare name means a column of the subquery's tables when they have one,
 * as in SQL ({@code #variable_conflict use_column}), and the row's variable otherwise.
 */
final class SyncTriggers {
    private static final String ROW = "_tandem_row";
    private static final String ROW_LABEL = "<<" + ROW + ">>";
    private static final String RESOLUTION = "#variable_conflict use_column\n";
    /** How many rows a probe evaluates an expression over. */
    private static final int PROBED_ROWS = 1000;
    private static final String NOT_BACKFILL = "current_setting(" + literal(PostgresDialect.BACKFILL_SETTING)
            + ", true) IS DISTINCT FROM 'on'";

    /**
     * The sync trigger's function: a write through the new version's schema fills the old columns ({@code down}),
     * any other the new ones ({@code up}).
     */
    private static final String SYNC = RESOLUTION + """
            BEGIN
              IF (current_schemas(false))[1] = {newVersionSchema} THEN
            {fillNotBackfilled}{down}  ELSE
            {up}  END IF;
              RETURN NEW;
            END""";

    private SyncTriggers() {
    }

    static List<String> create(SyncTrigger trigger) {
        String function = function(trigger);
        String body = Template.fill(SYNC, Map.of("newVersionSchema", literal(trigger.newVersionSchema()),
                "fillNotBackfilled", fillNotBackfilled(trigger), "down", direction(trigger, true),
                "up", direction(trigger, false)));
        List<String> statements = new ArrayList<>(List.of(function(function, body),
                "CREATE TRIGGER " + ident(trigger.name()) + " BEFORE INSERT OR UPDATE ON "
                        + PostgresSql.table(trigger.table()) + " FOR EACH ROW WHEN (" + NOT_BACKFILL + ") "
                        + "EXECUTE FUNCTION " + function + "()"));
        if (!trigger.up().isEmpty()) {
            statements.add(function(unfilledFunction(trigger), unfilledBody(trigger)));
            for (int i = 0; i < trigger.up().size(); i++) {
                String target = ident(trigger.up().get(i).targetColumn());
                statements.add("CREATE TRIGGER " + ident(unfilledTrigger(trigger, i)) + " BEFORE UPDATE OF " + target
                        + " ON " + PostgresSql.table(trigger.table()) + " FOR EACH ROW WHEN (OLD." + target
                        + " IS NULL AND NEW." + target + " IS NULL AND " + NOT_BACKFILL + ") EXECUTE FUNCTION "
                        + unfilledFunction(trigger) + "(" + literal(String.valueOf(i)) + ")");
            }
        }
        return statements;
    }

    static List<String> drop(SyncTrigger trigger) {
        String table = PostgresSql.table(trigger.table());
        List<String> statements = new ArrayList<>();
        statements.add("DROP TRIGGER IF EXISTS " + ident(trigger.name()) + " ON " + table);
        for (int i = 0; i < trigger.up().size(); i++) {
            statements.add("DROP TRIGGER IF EXISTS " + ident(unfilledTrigger(trigger, i)) + " ON " + table);
        }
        statements.add("DROP FUNCTION IF EXISTS " + function(trigger) + "()");
        statements.add("DROP FUNCTION IF EXISTS " + unfilledFunction(trigger) + "()");
        return statements;
    }

    private static String function(String name, String body) {
        String tag = dollarTag(body);
        return "CREATE OR REPLACE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS " + tag + "\n" + body
                + "\n" + tag;
    }

    private static String function(SyncTrigger trigger) {
        return ident(trigger.functionSchema()) + "." + ident(trigger.name());
    }

    private static String unfilledFunction(SyncTrigger trigger) {
        return ident(trigger.functionSchema()) + "." + ident(Names.bounded(trigger.name() + "_unfilled"));
    }

    /** Sorts before the sync trigger's name ('-' before '_'), as it must fire first. */
    private static String unfilledTrigger(SyncTrigger trigger, int rule) {
        return Names.bounded("-" + trigger.name() + "_unfilled_" + rule);
    }

    /**
     * Fires on a new-version update that set up-rule target {@code TG_ARGV[0]} to NULL on a row where it is NULL:
     * refuses it where the backfill would have put a value.
     */
    private static String unfilledBody(SyncTrigger trigger) {
        StringBuilder out = new StringBuilder(RESOLUTION + "BEGIN\n  IF (current_schemas(false))[1] = ")
                .append(literal(trigger.newVersionSchema())).append(" THEN\n    " + ROW_LABEL + " DECLARE\n");
        declare(out, trigger, trigger.upVariables(), "      ");
        out.append("    BEGIN\n");
        assign(out, trigger.upVariables(), "OLD");
        List<SyncTrigger.Rule> rules = trigger.up();
        for (int i = 0; i < rules.size(); i++) {
            SyncTrigger.Rule rule = rules.get(i);
            String column = trigger.newVersionName(rule);
            String advice = "the backfill has not reached this row yet, so the new version reads NULL in its new "
                    + "columns there, and the update is refused rather than filled from up. Run `migrate backfill` to "
                    + "the end before the new version writes (its PhaseGuard waits for it unless told otherwise).";
            out.append("      IF TG_ARGV[0] = ").append(literal(String.valueOf(i))).append(" THEN\n");
            if (rule.required()) {
                out.append("        RAISE not_null_violation USING MESSAGE = ")
                        .append(literal("null value in column \"" + column + "\" of relation \""
                                + trigger.table().name() + "\" violates not-null constraint (NOT NULL in the new "
                                + "version)"))
                        .append(", DETAIL = ").append(literal(advice)).append(", COLUMN = ").append(literal(column))
                        .append(", TABLE = ").append(literal(trigger.table().name())).append(";\n");
            } else {
                out.append("        IF ").append(value(trigger, rule, false)).append(" IS NOT NULL THEN\n")
                        .append("          RAISE object_not_in_prerequisite_state USING MESSAGE = ")
                        .append(literal("Tandem: the new version's update sets column \"" + column + "\" of \""
                                + trigger.table().name() + "\" to NULL on a row the backfill has not reached yet"))
                        .append(", DETAIL = ").append(literal(advice)).append(", COLUMN = ").append(literal(column))
                        .append(", TABLE = ").append(literal(trigger.table().name())).append(";\n")
                        .append("        END IF;\n");
            }
            out.append("      END IF;\n");
        }
        return out.append("    END;\n  END IF;\n  RETURN NEW;\nEND").toString();
    }

    /**
     * A new-version update of a row the backfill has not reached fills its required {@code up} targets
     * first, in OLD as well, so the {@code down} rules see no change in them.
     */
    private static String fillNotBackfilled(SyncTrigger trigger) {
        List<SyncTrigger.Rule> required = trigger.up().stream().filter(SyncTrigger.Rule::required).toList();
        if (required.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("    IF TG_OP = 'UPDATE' THEN\n      " + ROW_LABEL + " DECLARE\n");
        declare(out, trigger, trigger.upVariables(), "        ");
        out.append("      BEGIN\n");
        assign(out, trigger.upVariables(), "NEW");
        for (SyncTrigger.Rule rule : required) {
            String target = ident(rule.targetColumn());
            out.append("        IF NEW.").append(target).append(" IS NULL AND OLD.").append(target)
                    .append(" IS NULL THEN\n")
                    .append("          NEW.").append(target).append(" := ").append(value(trigger, rule, false))
                    .append(";\n")
                    .append("          OLD.").append(target).append(" := NEW.").append(target).append(";\n")
                    .append("        END IF;\n");
        }
        return out.append("      END;\n    END IF;\n").toString();
    }

    private static String direction(SyncTrigger trigger, boolean down) {
        List<SyncTrigger.Variable> variables = down ? trigger.downVariables() : trigger.upVariables();
        List<SyncTrigger.Rule> rules = down ? trigger.down() : trigger.up();
        if (rules.isEmpty()) {
            return "    NULL;\n";
        }
        StringBuilder out = new StringBuilder("    " + ROW_LABEL + " DECLARE\n");
        declare(out, trigger, variables, "      ");
        for (int i = 0; i < rules.size(); i++) {
            out.append("      ").append(previous(i)).append(' ')
                    .append(PostgresSql.table(trigger.table())).append('.')
                    .append(ident(rules.get(i).targetColumn())).append("%TYPE;\n");
        }
        out.append("    BEGIN\n      IF TG_OP = 'UPDATE' THEN\n");
        assign(out, variables, "OLD");
        for (int i = 0; i < rules.size(); i++) {
            out.append("        ").append(previous(i)).append(" := ").append(value(trigger, rules.get(i), down))
                    .append(";\n");
        }
        out.append("      END IF;\n");
        assign(out, variables, "NEW");
        for (int i = 0; i < rules.size(); i++) {
            SyncTrigger.Rule rule = rules.get(i);
            out.append("      IF TG_OP = 'INSERT' OR ")
                    .append(rule.required() ? "NEW." + ident(rule.targetColumn()) + " IS NULL OR " : "")
                    .append(value(trigger, rule, down))
                    .append(" IS DISTINCT FROM ").append(previous(i)).append(" THEN\n")
                    .append("        NEW.").append(ident(rule.targetColumn())).append(" := ")
                    .append(value(trigger, rule, down)).append(";\n")
                    .append("      END IF;\n");
        }
        out.append("    END;\n");
        return out.toString();
    }

    private static void declare(StringBuilder out, SyncTrigger trigger, List<SyncTrigger.Variable> variables,
                                String indent) {
        for (SyncTrigger.Variable variable : variables) {
            out.append(indent).append(ident(variable.name())).append(' ')
                    .append(PostgresSql.table(trigger.table())).append('.').append(ident(variable.column()))
                    .append("%TYPE;\n");
        }
    }

    private static void assign(StringBuilder out, List<SyncTrigger.Variable> variables, String record) {
        for (SyncTrigger.Variable variable : variables) {
            out.append("        ").append(ident(variable.name())).append(" := ").append(record).append('.')
                    .append(ident(variable.column())).append(";\n");
        }
    }

    /**
     * The rule's expression as the trigger's blocks of one direction evaluate it. A name the table does not have
     * stays as written, for an error that names it.
     */
    private static String value(SyncTrigger trigger, SyncTrigger.Rule rule, boolean down) {
        List<String> names = (down ? trigger.downVariables() : trigger.upVariables()).stream()
                .map(SyncTrigger.Variable::name).toList();
        return rule.expression().wrapped(trigger.tableName(down), false,
                (name, quoted, qualified) -> qualified && names.contains(name) ? ROW + "." + ident(name) : null);
    }

    /**
     * Some of the table's rows, or one row of NULLs when it has none: an expression is only checked against the
     * catalog once it is evaluated.
     */
    private static String probedRows(String table) {
        return "SELECT _tandem_rows.* FROM (SELECT 1) AS _tandem_one LEFT JOIN (SELECT * FROM " + table + " LIMIT "
                + PROBED_ROWS + ") AS _tandem_rows ON true";
    }

    /**
     * Evaluates one rule as the trigger does, over some of the table's rows: the same variables, label, name
     * resolution and expression, assigned to a variable of the target column's type, with the search path of the
     * version whose writes run it. Runs in expand's transaction, after the columns and views exist.
     */
    static List<String> probe(SyncTrigger trigger, SyncTrigger.Rule rule, boolean down) {
        String table = PostgresSql.table(trigger.table());
        String path = (down ? ident(trigger.newVersionSchema()) + ", " : "") + ident(trigger.table().schema());
        StringBuilder body = new StringBuilder(RESOLUTION + "DECLARE\n  _tandem_source record;\n"
                + "  _tandem_path text := current_setting('search_path');\nBEGIN\n"
                + "  PERFORM set_config('search_path', " + literal(path) + ", true);\n"
                + "  FOR _tandem_source IN " + probedRows(table) + " LOOP\n"
                + "    " + ROW_LABEL + " DECLARE\n");
        declare(body, trigger, down ? trigger.downVariables() : trigger.upVariables(), "      ");
        body.append("      _tandem_value ").append(table).append('.').append(ident(rule.targetColumn()))
                .append("%TYPE;\n    BEGIN\n");
        assign(body, down ? trigger.downVariables() : trigger.upVariables(), "_tandem_source");
        body.append("        _tandem_value := ").append(value(trigger, rule, down)).append(";\n    END;\n  END LOOP;\n"
                + "  PERFORM set_config('search_path', _tandem_path, true);\nEND");
        String tag = dollarTag(body.toString());
        return List.of("DO " + tag + "\n" + body + "\n" + tag);
    }

    private static String previous(int index) {
        return "_tandem_previous_" + index;
    }

    private static String dollarTag(String body) {
        String tag = "$tandem$";
        for (int i = 1; body.contains(tag); i++) {
            tag = "$tandem" + i + "$";
        }
        return tag;
    }
}
