package dev.tandem.coordinator.internal.dialect.mariadb;

import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect.ident;
import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbSql.table;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.internal.ddl.SyncTrigger;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.Template;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.sql.Quoting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Renders a {@link SyncTrigger} as a BEFORE INSERT and a BEFORE UPDATE row trigger that {@code SET NEW.x}.
 *
 * <p>A write is the new version's when the session has set {@link MariaDbDialect#VERSION_VARIABLE} to the
 * version database (inside a trigger DATABASE() is the trigger's own database, whatever the session uses).
 * Each expression reads the row directly: a column it names as its own version names it becomes
 * {@code NEW.physical} (or {@code OLD.physical}), and so does one it names with the table's name
 * ({@code orders.total}), inside subqueries too; a bare name inside a subquery is left to the subquery's own tables.
 * The triggers declare no local variables on purpose: MariaDB sets up every variable a trigger declares, in any
 * nested block, each time the trigger fires, before its first statement (and opens the table's definition for each
 * {@code TYPE OF}), which made every backfilled row cost
 * about three times as much although the update trigger returns at once for the backfill. On UPDATE a target is
 * only recomputed when its expression's value changed, so a write that touches other columns never overwrites a
 * value the other version set; one rule's target is never a column another rule of the same direction reads
 * (targets are columns the expressions' own version does not have), so the rules' order does not matter. The
 * backfill sets {@link MariaDbDialect#BACKFILL_VARIABLE} so the update trigger stays out of its way. A required
 * target (NOT NULL in the new version) is filled on any update of a row the backfill has not reached, and a NULL
 * in it is refused as the NOT NULL that contract adds will refuse it.
 *
 * <p>That fill is only right when the update left the target alone, and a trigger cannot see which columns the
 * statement set: a target that is NULL before and after is the same whether the statement did not touch it or set it
 * to NULL (explicitly, or computed from the NULL the new version reads there, as {@code qty = qty + 10} does). The
 * update trigger reads the statement's text from the processlist in that case only (a new-version update of a row
 * the backfill has not reached, the target still NULL where the backfill would put a value), which inside a stored
 * routine is the routine's statement: when the text names the target's column, the update is refused instead of
 * filled.
 *
 * <p>A stacked migration's triggers ({@link SyncTrigger#level()}) are split in two, as on PostgreSQL: the {@code down}
 * part fires before the triggers of the migrations below it, the {@code up} part after them. MariaDB fires a table's
 * triggers of one event in the order they were put in ({@code ACTION_ORDER}), {@code CREATE OR REPLACE TRIGGER} puts
 * a trigger last unless told {@code FOLLOWS} or {@code PRECEDES} another, and {@code CREATE TRIGGER} takes no
 * expression there. So on a table with stacked triggers each one is made by dynamic SQL, after the position read
 * from {@code information_schema.TRIGGERS}: a trigger that exists stays where it is, a new {@code down} part goes
 * first and any other new one last. Expand stacks bottom up, so that order is the stack's; a rerun after a crash
 * finds each trigger in its place.
 */
final class MariaDbSyncTriggers {
    /**
     * Reserved words that can stand in an expression as themselves (values, operators, type and interval names);
     * MariaDB never reads them unquoted as a column, so neither do the triggers.
     */
    private static final Set<String> RESERVED = Set.of(("and as between binary both case char character collate convert"
            + " current_date current_role current_time current_timestamp current_user day_hour day_microsecond"
            + " day_minute day_second decimal default distinct div double else escape exists false float for from"
            + " hour_microsecond hour_minute hour_second in int integer interval is leading like localtime"
            + " localtimestamp minute_microsecond minute_second mod not null or regexp rlike second_microsecond"
            + " separator then trailing true unsigned using utc_date utc_time utc_timestamp when xor year_month")
            .split(" "));

    /** Each version's inserts fill the other version's columns. */
    private static final String INSERT = """
            BEGIN
              IF {newVersion} THEN
            {down}  ELSE
            {up}  END IF;
            {notNull}END""";
    /**
     * Each version's updates fill the other version's columns, out of the backfill's way. Down runs first: it
     * compares the new version's columns before and after the write, and a fill of a required target would look like
     * a change that rewrites the old column from it.
     */
    private static final String UPDATE = """
            BEGIN
              IF {backfill} IS NULL THEN
                IF {newVersion} THEN
            {refuseUnfilledNull}{down}{fillNotBackfilled}    ELSE
            {up}    END IF;
            {notNull}  END IF;
            END""";
    /** Refuses the writes of the version going away. */
    private static final String FENCE = """
            BEGIN
              IF {leaving} THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {message};
              END IF;
            END""";
    /** Refuses the old version's writes, and fills its columns from the new version's until they are dropped. */
    private static final String FENCE_COPYING = """
            BEGIN
              IF {leaving} THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {message};
              ELSE
            {down}  END IF;
            END""";

    /**
     * Where a trigger goes among its table's triggers of its event: after the one before it or before the one after
     * it, where it exists; a new {@code down} part before the first ({@code first}); else last.
     */
    private static final String POSITION = """
            SET @tandem_position = COALESCE({follows},
              {precedes}{first},
              '')""";
    /** The trigger next to an existing one, {@code step} away, as the clause that puts it back there. */
    private static final String NEXT = """
            (SELECT CONCAT('{clause} `', REPLACE(o.TRIGGER_NAME, '`', '``'), '`')
                FROM information_schema.TRIGGERS s JOIN information_schema.TRIGGERS o
                ON o.EVENT_OBJECT_SCHEMA = s.EVENT_OBJECT_SCHEMA AND o.EVENT_OBJECT_TABLE = s.EVENT_OBJECT_TABLE
                AND o.EVENT_MANIPULATION = s.EVENT_MANIPULATION AND o.ACTION_TIMING = s.ACTION_TIMING
                AND o.ACTION_ORDER = s.ACTION_ORDER {step}
                WHERE s.TRIGGER_SCHEMA = {schema} AND s.TRIGGER_NAME = {name})""";
    private static final String FIRST = """
            ,
              (SELECT CONCAT('PRECEDES `', REPLACE(TRIGGER_NAME, '`', '``'), '`') FROM information_schema.TRIGGERS
                WHERE EVENT_OBJECT_SCHEMA = {schema} AND EVENT_OBJECT_TABLE = {table} AND EVENT_MANIPULATION = {event}
                AND ACTION_TIMING = 'BEFORE' AND ACTION_ORDER = 1 AND TRIGGER_NAME <> {name})""";
    /** A direction without rules, as the insert and the update template indent it. */
    private static final String EMPTY_INSERT = "    BEGIN END;\n";
    private static final String EMPTY_UPDATE = "      BEGIN END;\n";

    /** A rule of an insert trigger. */
    private static final String SET = """
                SET NEW.{target} = {value};
            """;
    /** A rule of an update trigger: the target is set when its expression's value changed. */
    private static final String SET_CHANGED = """
                  IF {unfilled}NOT ({value} <=> {old}) THEN SET NEW.{target} = {value}; END IF;
            """;
    /** A required target still NULL on a row the backfill has not reached, filled as the backfill would. */
    private static final String FILL = """
                  IF NEW.{target} IS NULL AND OLD.{target} IS NULL THEN SET NEW.{target} = {value}; END IF;
            """;
    /** A new-version update whose statement names a target it leaves NULL where the backfill would fill it. */
    private static final String REFUSE_UNFILLED = """
                  IF NEW.{target} IS NULL AND OLD.{target} IS NULL{fillable} AND NOT IFNULL((SELECT INFO NOT REGEXP \
            {names} FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()), FALSE) THEN SIGNAL {error}; END IF;
            """;
    private static final String NOT_NULL = """
            {indent}IF NEW.{target} IS NULL THEN SIGNAL SQLSTATE '23000' SET MYSQL_ERRNO = 1048, MESSAGE_TEXT = \
            {message}; END IF;
            """;
    /** {@link #probe}: evaluates a rule over some of the table's rows, the row's columns in local variables. */
    private static final String PROBE = """
            BEGIN NOT ATOMIC
            {declare}  DECLARE `_tandem_value` {type};
              FOR `_tandem_source` IN (SELECT `_tandem_rows`.* FROM (SELECT 1) AS `_tandem_one` LEFT JOIN (SELECT \
            {read} FROM {table} LIMIT 1000) AS `_tandem_rows` ON TRUE) DO
                SET {set};
                SET `_tandem_value` = {value};
              END FOR;
            END""";

    private MariaDbSyncTriggers() {
    }

    static List<String> create(SyncTrigger trigger) {
        Rules down = new Rules(trigger, true);
        Rules up = new Rules(trigger, false);
        List<String> statements = new ArrayList<>();
        for (Part part : Part.of(trigger)) {
            String insert = Template.fill(INSERT, Map.of("newVersion", newVersion(trigger),
                    "down", part.down() ? down.insert() : EMPTY_INSERT, "up", part.up() ? up.insert() : EMPTY_INSERT,
                    "notNull", part.up() ? notNull(trigger, "  ") : ""));
            String update = Template.fill(UPDATE, Map.of("backfill", MariaDbDialect.BACKFILL_VARIABLE,
                    "newVersion", newVersion(trigger),
                    "refuseUnfilledNull", part.down() ? up.refuseUnfilledNull(trigger) : "",
                    "down", part.down() ? down.update() : EMPTY_UPDATE,
                    "fillNotBackfilled", part.down() ? up.fillNotBackfilled() : "",
                    "up", part.up() ? up.update() : EMPTY_UPDATE, "notNull", part.up() ? notNull(trigger, "    ") : ""));
            // replaces a fence that an interrupted undo of expand may have left under the same name
            statements.addAll(triggers(trigger, part, insert, update));
        }
        return statements;
    }

    /**
     * Triggers in place of the sync triggers that refuse every write of the version going away: from here on
     * nothing copies its writes, and the columns only it has are dropped next. At contract the new version's writes
     * still fill the old columns from {@code down} until those are dropped: an old NOT NULL column without a default
     * would otherwise refuse its inserts (error 1364). Contract replaces the fence, under the same table lock, with
     * every column drop or rename, so it never names a column that is gone.
     */
    static List<String> fence(SyncTrigger trigger, boolean newVersionStays) {
        String version = newVersion(trigger);
        String message = newVersionStays ? "Tandem contract: the old version can no longer write this table"
                : "Tandem rollback: the new version can no longer write this table";
        Map<String, String> values = Map.of("leaving", newVersionStays ? "NOT (" + version + ")" : version,
                "message", literal(message));
        List<String> statements = new ArrayList<>();
        for (Part part : Part.of(trigger)) {
            if (!newVersionStays || trigger.down().isEmpty() || !part.down()) {
                String body = Template.fill(FENCE, values);
                statements.addAll(triggers(trigger, part, body, body));
            } else {
                Rules down = new Rules(trigger, true);
                statements.addAll(triggers(trigger, part, Template.fill(FENCE_COPYING, with(values, down.insert())),
                        Template.fill(FENCE_COPYING, with(values, down.update()))));
            }
        }
        return statements;
    }

    private static Map<String, String> with(Map<String, String> values, String down) {
        Map<String, String> all = new HashMap<>(values);
        all.put("down", down);
        return all;
    }

    /**
     * A required target is NOT NULL in the new version; until contract makes the column NOT NULL, the triggers
     * refuse a NULL in it as the column will (MariaDB has no NOT VALID check to do it).
     */
    private static String notNull(SyncTrigger trigger, String indent) {
        StringBuilder out = new StringBuilder();
        for (SyncTrigger.Rule rule : trigger.up()) {
            if (rule.required()) {
                out.append(Template.fill(NOT_NULL, Map.of("indent", indent, "target", ident(rule.targetColumn()),
                        "message", literal("Column '" + rule.targetColumn() + "' cannot be null (NOT NULL in the new "
                                + "version)"))));
            }
        }
        return out.toString();
    }

    static List<String> drop(SyncTrigger trigger) {
        List<String> statements = new ArrayList<>();
        for (Part part : Part.of(trigger)) {
            statements.add("DROP TRIGGER IF EXISTS " + table(part.name(trigger, "insert")));
            statements.add("DROP TRIGGER IF EXISTS " + table(part.name(trigger, "update")));
        }
        return statements;
    }

    /** The condition that holds for a write of the new version. */
    private static String newVersion(SyncTrigger trigger) {
        if (trigger.stackedVersionSchemas().isEmpty()) {
            return MariaDbDialect.VERSION_VARIABLE + " <=> " + literal(trigger.newVersionSchema());
        }
        return "IFNULL(" + MariaDbDialect.VERSION_VARIABLE + " IN (" + String.join(", ",
                trigger.newVersionSchemas().stream().map(Quoting::literal).toList()) + "), FALSE)";
    }

    /**
     * The update trigger first: the backfill fills only targets still NULL, so a target an insert trigger filled
     * must be kept in step by the update trigger from then on. Made after it, the update trigger would miss the
     * updates of a row inserted in between (its target stale for good); made before, it finds such a row's target
     * NULL, for the backfill, or sets it from the changed value.
     */
    private static List<String> triggers(SyncTrigger trigger, Part part, String insert, String update) {
        List<String> statements = new ArrayList<>(trigger(trigger, part, "update", update));
        statements.addAll(trigger(trigger, part, "insert", insert));
        return statements;
    }

    /**
     * One trigger; where the table has stacked triggers, made where it stands or goes among the others (see the
     * class comment).
     */
    private static List<String> trigger(SyncTrigger trigger, Part part, String event, String body) {
        TableRef name = part.name(trigger, event);
        String head = "CREATE OR REPLACE TRIGGER " + table(name) + " BEFORE " + event.toUpperCase(Locale.ROOT) + " ON "
                + table(trigger.table()) + " FOR EACH ROW";
        if (trigger.level() == 0 && trigger.stackedVersionSchemas().isEmpty()) {
            return List.of(head + "\n" + body);
        }
        Map<String, String> self = Map.of("schema", literal(name.schema()), "name", literal(name.name()));
        String first = part.up() ? "" : Template.fill(FIRST, Map.of("schema", literal(trigger.table().schema()),
                "table", literal(trigger.table().name()), "event", literal(event.toUpperCase(Locale.ROOT)),
                "name", literal(name.name())));
        return List.of(Template.fill(POSITION, Map.of("follows", next(self, "FOLLOWS", "- 1"),
                        "precedes", next(self, "PRECEDES", "+ 1"), "first", first)),
                "EXECUTE IMMEDIATE CONCAT(" + literal(head + " ") + ", @tandem_position, " + literal("\n" + body) + ")");
    }

    private static String next(Map<String, String> self, String clause, String step) {
        Map<String, String> values = new HashMap<>(self);
        values.put("clause", clause);
        values.put("step", step);
        return Template.fill(NEXT, values);
    }

    /**
     * The trigger itself, or for a stacked migration ({@link SyncTrigger#level()}) its {@code down} part, fired before
     * the triggers of the migrations below it, and its {@code up} part, fired after them.
     */
    private record Part(String suffix, boolean down, boolean up) {
        static List<Part> of(SyncTrigger trigger) {
            return trigger.level() == 0 ? List.of(new Part("", true, true))
                    : List.of(new Part("_down", true, false), new Part("_up", false, true));
        }

        /** Triggers live in their table's database; names are unique per database. */
        TableRef name(SyncTrigger trigger, String event) {
            return new TableRef(trigger.table().schema(), Names.bounded(trigger.name() + suffix + "_" + event));
        }
    }

    /**
     * Evaluates one rule as the triggers do, over some of the table's rows, before expand changes anything: the same
     * expression, with the row's columns in local variables of their types in place of {@code NEW.x} (a bare name
     * inside a subquery still means only a column of the subquery's tables, as in the trigger), assigned to a
     * variable of the target column's type. The columns expand adds do not exist yet and are read as NULL, as rows
     * the backfill has not reached hold them.
     */
    static List<String> probe(SyncTrigger trigger, SyncTrigger.Rule rule, boolean down) {
        Set<String> existing = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        trigger.upVariables().forEach(v -> existing.add(v.column()));
        List<SyncTrigger.Variable> variables = down ? trigger.downVariables() : trigger.upVariables();
        Map<String, String> locals = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        StringBuilder declare = new StringBuilder();
        List<String> read = new ArrayList<>();
        List<String> set = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            SyncTrigger.Variable variable = variables.get(i);
            String local = ident("_tandem_" + i);
            locals.put(variable.column(), local);
            declare.append("  DECLARE ").append(local).append(' ').append(type(trigger, existing, variable.column()))
                    .append(";\n");
            if (existing.contains(variable.column())) {
                read.add(ident(variable.column()));
                set.add(local + " = " + ident("_tandem_source") + "." + ident(variable.column()));
            }
        }
        return List.of("USE " + ident(trigger.table().schema()), Template.fill(PROBE, Map.of(
                "declare", declare.toString(), "type", type(trigger, existing, rule.targetColumn()), "read", String.join(", ", read),
                "table", table(trigger.table()), "set", String.join(", ", set),
                "value", new Rules(trigger, down).value(rule, locals::get))));
    }

    /** A column's type for a local variable: that of the table's column, or the new version's for one expand adds. */
    private static String type(SyncTrigger trigger, Set<String> existing, String column) {
        if (existing.contains(column)) {
            return "TYPE OF " + table(trigger.table()) + "." + ident(column);
        }
        return trigger.downVariables().stream().filter(v -> v.column().equalsIgnoreCase(column))
                .map(v -> MariaDbSql.type(v.type())).findFirst().orElseThrow();
    }

    /** {@code rule}'s expression over one image ({@code NEW} or {@code OLD}) of the row, as a trigger reads it. */
    static String value(SyncTrigger trigger, SyncTrigger.Rule rule, boolean down, String row) {
        return new Rules(trigger, down).value(rule, row);
    }

    /** One direction's rules, with the columns their expressions see under their version's names. */
    private static final class Rules {
        private final Map<String, String> columns = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final List<SyncTrigger.Rule> rules;
        private final String table;

        Rules(SyncTrigger trigger, boolean down) {
            (down ? trigger.downVariables() : trigger.upVariables()).forEach(v -> columns.put(v.name(), v.column()));
            this.rules = down ? trigger.down() : trigger.up();
            this.table = trigger.tableName(down);
        }

        String insert() {
            StringBuilder out = new StringBuilder();
            for (SyncTrigger.Rule rule : rules) {
                out.append(Template.fill(SET, Map.of("target", ident(rule.targetColumn()),
                        "value", value(rule, "NEW"))));
            }
            return out.isEmpty() ? EMPTY_INSERT : out.toString();
        }

        /**
         * A new-version update that may have set a target to NULL on a row the backfill has not reached, where the
         * backfill would put a value: refused, with NOT NULL's error for a required target.
         */
        String refuseUnfilledNull(SyncTrigger trigger) {
            StringBuilder out = new StringBuilder();
            for (SyncTrigger.Rule rule : rules) {
                String target = ident(rule.targetColumn());
                String column = trigger.newVersionName(rule);
                String table = trigger.table().name();
                String advice = "the backfill has not reached this row yet, so the new version reads NULL there, and"
                        + " an update that names the column is refused rather than filled from up. Run `migrate"
                        + " backfill` to the end before the new version writes (its PhaseGuard waits for it unless"
                        + " told otherwise).";
                String error = rule.required()
                        ? "SQLSTATE '23000' SET MYSQL_ERRNO = 1048, MESSAGE_TEXT = " + literal("Column '" + column
                        + "' cannot be null (NOT NULL in the new version): " + advice)
                        : "SQLSTATE '45000' SET MESSAGE_TEXT = " + literal("Tandem: the new version's update sets"
                        + " column '" + column + "' of '" + table + "' to NULL, or may have: " + advice);
                out.append(Template.fill(REFUSE_UNFILLED, Map.of("target", target,
                        "fillable", rule.required() ? "" : " AND " + value(rule, "OLD") + " IS NOT NULL",
                        "names", literal("(?i)\\b\\Q" + column + "\\E\\b"), "error", error)));
            }
            return out.toString();
        }

        /**
         * A new-version update of a row the backfill has not reached fills its required targets, as the backfill
         * would, so the NOT NULL check does not refuse an update of an old row.
         */
        String fillNotBackfilled() {
            StringBuilder out = new StringBuilder();
            for (SyncTrigger.Rule rule : rules) {
                if (rule.required()) {
                    out.append(Template.fill(FILL, Map.of("target", ident(rule.targetColumn()),
                            "value", value(rule, "NEW"))));
                }
            }
            return out.toString();
        }

        /** A required target is also filled when it is still NULL, as on a row the backfill has not reached. */
        String update() {
            StringBuilder out = new StringBuilder();
            for (SyncTrigger.Rule rule : rules) {
                String target = ident(rule.targetColumn());
                out.append(Template.fill(SET_CHANGED, Map.of(
                        "unfilled", rule.required() ? "NEW." + target + " IS NULL OR " : "", "value", value(rule, "NEW"), "old", value(rule, "OLD"), "target", target)));
            }
            return out.isEmpty() ? EMPTY_UPDATE : out.toString();
        }

        /** The rule's expression over one image of the row. */
        private String value(SyncTrigger.Rule rule, String row) {
            return value(rule, column -> row + "." + ident(column));
        }

        /** The rule's expression with each reference to a column of the row written as {@code reference} gives it. */
        private String value(SyncTrigger.Rule rule, UnaryOperator<String> reference) {
            return rule.expression().wrapped(Quoting::backtick, table, true, (name, quoted, qualified) -> {
                String column = qualified || quoted || !RESERVED.contains(name) ? columns.get(name) : null;
                return column == null ? null : reference.apply(column);
            });
        }
    }
}
