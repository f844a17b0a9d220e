package dev.tandem.coordinator.internal.dialect.postgres;

import static dev.tandem.coordinator.internal.sql.Quoting.ident;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.SyncTrigger;
import dev.tandem.coordinator.internal.dialect.Template;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.sql.Quoting;
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
    /** The label of the blocks that declare the row's variables, as the templates write it. */
    private static final String ROW = "_tandem_row";
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
              IF (current_schemas(false))[1] {newVersion} THEN
            {fillNotBackfilled}{down}  ELSE
            {up}  END IF;
              RETURN NEW;
            END""";

    /**
     * Fires on a new-version update that set up-rule target {@code TG_ARGV[0]} to NULL on a row where it is NULL:
     * refuses it where the backfill would have put a value ({@link #REFUSE_REQUIRED}, {@link #REFUSE_FILLABLE}).
     */
    private static final String UNFILLED = RESOLUTION + """
            BEGIN
              IF (current_schemas(false))[1] {newVersion} THEN
                <<_tandem_row>> DECLARE
            {declare}    BEGIN
            {assign}{rules}    END;
              END IF;
              RETURN NEW;
            END""";
    private static final String REFUSE_REQUIRED = """
                  IF TG_ARGV[0] = {rule} THEN
                    RAISE not_null_violation USING MESSAGE = {message}, DETAIL = {advice}, COLUMN = {column}, \
            TABLE = {table};
                  END IF;
            """;
    private static final String REFUSE_FILLABLE = """
                  IF TG_ARGV[0] = {rule} THEN
                    IF {value} IS NOT NULL THEN
                      RAISE object_not_in_prerequisite_state USING MESSAGE = {message}, DETAIL = {advice}, \
            COLUMN = {column}, TABLE = {table};
                    END IF;
                  END IF;
            """;
    /** A new-version update of a row the backfill has not reached: its required {@code up} targets first. */
    private static final String FILL_NOT_BACKFILLED = """
                IF TG_OP = 'UPDATE' THEN
                  <<_tandem_row>> DECLARE
            {declare}      BEGIN
            {assign}{fills}      END;
                END IF;
            """;
    private static final String FILL = """
                    IF NEW.{target} IS NULL AND OLD.{target} IS NULL THEN
                      NEW.{target} := {value};
                      OLD.{target} := NEW.{target};
                    END IF;
            """;
    /**
     * One direction's rules: on UPDATE each expression is evaluated over OLD first, so a target is only set when
     * its expression's value changed ({@link #SET_CHANGED}).
     */
    private static final String DIRECTION = """
                <<_tandem_row>> DECLARE
            {declare}{declarePrevious}    BEGIN
                  IF TG_OP = 'UPDATE' THEN
            {assignOld}{evaluateOld}      END IF;
            {assignNew}{set}    END;
            """;
    private static final String SET_CHANGED = """
                  IF TG_OP = 'INSERT' OR {unfilled}{value} IS DISTINCT FROM {previous} THEN
                    NEW.{target} := {value};
                  END IF;
            """;
    /** {@link #probe}: evaluates a rule over some of the table's rows with the search path of its version. */
    private static final String PROBE = RESOLUTION + """
            DECLARE
              _tandem_source record;
              _tandem_path text := current_setting('search_path');
            BEGIN
              PERFORM set_config('search_path', {path}, true);
              FOR _tandem_source IN {rows} LOOP
                <<_tandem_row>> DECLARE
            {declare}      _tandem_value {target}%TYPE;
                BEGIN
            {assign}        _tandem_value := {value};
                END;
              END LOOP;
              PERFORM set_config('search_path', _tandem_path, true);
            END""";

    private SyncTriggers() {
    }

    static List<String> create(SyncTrigger trigger) {
        List<String> statements = new ArrayList<>();
        for (Part part : Part.of(trigger)) {
            String function = part.function(trigger);
            String body = Template.fill(SYNC, Map.of("newVersion", newVersion(trigger),
                    "fillNotBackfilled", part.down ? fillNotBackfilled(trigger) : "",
                    "down", part.down ? direction(trigger, true) : "    NULL;\n",
                    "up", part.up ? direction(trigger, false) : "    NULL;\n"));
            statements.add(function(function, body));
            statements.add("CREATE TRIGGER " + ident(part.trigger(trigger)) + " BEFORE INSERT OR UPDATE ON "
                    + PostgresSql.table(trigger.table()) + " FOR EACH ROW WHEN (" + NOT_BACKFILL + ") "
                    + "EXECUTE FUNCTION " + function + "()");
        }
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

    /**
     * The trigger functions only, for a trigger that exists: how a migration stacked on this one adds its version
     * to the writers the trigger takes for the new version.
     */
    static List<String> replace(SyncTrigger trigger) {
        List<String> statements = create(trigger);
        return statements.stream().filter(sql -> sql.startsWith("CREATE OR REPLACE FUNCTION")).toList();
    }

    /** The test of the writer's first schema that tells a new-version write. */
    private static String newVersion(SyncTrigger trigger) {
        if (trigger.stackedVersionSchemas().isEmpty()) {
            return "= " + literal(trigger.newVersionSchema());
        }
        return "IN (" + String.join(", ", trigger.newVersionSchemas().stream().map(Quoting::literal).toList()) + ")";
    }

    static List<String> drop(SyncTrigger trigger) {
        String table = PostgresSql.table(trigger.table());
        List<String> statements = new ArrayList<>();
        for (Part part : Part.of(trigger)) {
            statements.add("DROP TRIGGER IF EXISTS " + ident(part.trigger(trigger)) + " ON " + table);
        }
        for (int i = 0; i < trigger.up().size(); i++) {
            statements.add("DROP TRIGGER IF EXISTS " + ident(unfilledTrigger(trigger, i)) + " ON " + table);
        }
        for (Part part : Part.of(trigger)) {
            statements.add("DROP FUNCTION IF EXISTS " + part.function(trigger) + "()");
        }
        statements.add("DROP FUNCTION IF EXISTS " + unfilledFunction(trigger) + "()");
        return statements;
    }

    private static String function(String name, String body) {
        String tag = dollarTag(body);
        return "CREATE OR REPLACE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS " + tag + "\n" + body
                + "\n" + tag;
    }

    /**
     * The trigger, with the function it runs, for both directions; or for a stacked migration
     * ({@link SyncTrigger#level()}) one for {@code down}, named to fire before the triggers of the migrations below it,
     * and one for {@code up}, named to fire after them. PostgreSQL fires a table's triggers in the order of their
     * names: {@code _tandem-} sorts before {@code _tandem_}, and {@code _tandem~} after it.
     */
    private record Part(String prefix, String suffix, boolean down, boolean up) {
        static List<Part> of(SyncTrigger trigger) {
            if (trigger.level() == 0) {
                return List.of(new Part("", "", true, true));
            }
            return List.of(new Part("_tandem-" + String.format("%02d", 99 - trigger.level()) + "-", "_down", true, false),
                    new Part("_tandem~" + String.format("%02d", trigger.level()) + "-", "_up", false, true));
        }

        String trigger(SyncTrigger trigger) {
            return Names.bounded(prefix + trigger.name());
        }

        String function(SyncTrigger trigger) {
            return ident(trigger.functionSchema()) + "." + ident(Names.bounded(trigger.name() + suffix));
        }
    }

    private static String unfilledFunction(SyncTrigger trigger) {
        return ident(trigger.functionSchema()) + "." + ident(Names.bounded(trigger.name() + "_unfilled"));
    }

    /** Sorts before the sync trigger's name ('-' before '_'), as it must fire first. */
    private static String unfilledTrigger(SyncTrigger trigger, int rule) {
        return Names.bounded("-" + trigger.name() + "_unfilled_" + rule);
    }

    private static String unfilledBody(SyncTrigger trigger) {
        String advice = "the backfill has not reached this row yet, so the new version reads NULL in its new "
                + "columns there, and the update is refused rather than filled from up. Run `migrate backfill` to "
                + "the end before the new version writes (its PhaseGuard waits for it unless told otherwise).";
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < trigger.up().size(); i++) {
            SyncTrigger.Rule rule = trigger.up().get(i);
            String column = trigger.newVersionName(rule);
            String table = trigger.table().name();
            String message = rule.required()
                    ? "null value in column \"" + column + "\" of relation \"" + table + "\" violates not-null "
                    + "constraint (NOT NULL in the new version)"
                    : "Tandem: the new version's update sets column \"" + column + "\" of \"" + table + "\" to NULL "
                    + "on a row the backfill has not reached yet";
            rules.append(Template.fill(rule.required() ? REFUSE_REQUIRED : REFUSE_FILLABLE, Map.of(
                    "rule", literal(String.valueOf(i)), "value", value(trigger, rule, false),
                    "message", literal(message), "advice", literal(advice), "column", literal(column), "table", literal(table))));
        }
        return Template.fill(UNFILLED, Map.of("newVersion", newVersion(trigger),
                "declare", declare(trigger, trigger.upVariables(), "      "),
                "assign", assign(trigger.upVariables(), "OLD"), "rules", rules.toString()));
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
        StringBuilder fills = new StringBuilder();
        for (SyncTrigger.Rule rule : required) {
            fills.append(Template.fill(FILL, Map.of("target", ident(rule.targetColumn()),
                    "value", value(trigger, rule, false))));
        }
        return Template.fill(FILL_NOT_BACKFILLED, Map.of("declare", declare(trigger, trigger.upVariables(), "        "),
                "assign", assign(trigger.upVariables(), "NEW"), "fills", fills.toString()));
    }

    private static String direction(SyncTrigger trigger, boolean down) {
        List<SyncTrigger.Variable> variables = down ? trigger.downVariables() : trigger.upVariables();
        List<SyncTrigger.Rule> rules = down ? trigger.down() : trigger.up();
        if (rules.isEmpty()) {
            return "    NULL;\n";
        }
        StringBuilder declarePrevious = new StringBuilder();
        StringBuilder evaluateOld = new StringBuilder();
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < rules.size(); i++) {
            SyncTrigger.Rule rule = rules.get(i);
            String value = value(trigger, rule, down);
            declarePrevious.append("      ").append(previous(i)).append(' ').append(PostgresSql.table(trigger.table()))
                    .append('.').append(ident(rule.targetColumn())).append("%TYPE;\n");
            evaluateOld.append("        ").append(previous(i)).append(" := ").append(value).append(";\n");
            set.append(Template.fill(SET_CHANGED, Map.of("target", ident(rule.targetColumn()), "value", value,
                    "previous", previous(i),
                    "unfilled", rule.required() ? "NEW." + ident(rule.targetColumn()) + " IS NULL OR " : "")));
        }
        return Template.fill(DIRECTION, Map.of("declare", declare(trigger, variables, "      "),
                "declarePrevious", declarePrevious.toString(), "assignOld", assign(variables, "OLD"),
                "evaluateOld", evaluateOld.toString(), "assignNew", assign(variables, "NEW"), "set", set.toString()));
    }

    private static String declare(SyncTrigger trigger, List<SyncTrigger.Variable> variables, String indent) {
        StringBuilder out = new StringBuilder();
        for (SyncTrigger.Variable variable : variables) {
            out.append(indent).append(ident(variable.name())).append(' ')
                    .append(PostgresSql.table(trigger.table())).append('.').append(ident(variable.column()))
                    .append("%TYPE;\n");
        }
        return out.toString();
    }

    private static String assign(List<SyncTrigger.Variable> variables, String record) {
        StringBuilder out = new StringBuilder();
        for (SyncTrigger.Variable variable : variables) {
            out.append("        ").append(ident(variable.name())).append(" := ").append(record).append('.')
                    .append(ident(variable.column())).append(";\n");
        }
        return out.toString();
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
        List<SyncTrigger.Variable> variables = down ? trigger.downVariables() : trigger.upVariables();
        String path = (down ? ident(trigger.newVersionSchema()) + ", " : "") + ident(trigger.table().schema());
        String body = Template.fill(PROBE, Map.of("path", literal(path), "rows", probedRows(table),
                "declare", declare(trigger, variables, "      "), "target", table + "." + ident(rule.targetColumn()),
                "assign", assign(variables, "_tandem_source"), "value", value(trigger, rule, down)));
        String tag = dollarTag(body);
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
