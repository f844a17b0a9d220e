package dev.tandem.coordinator.dialect.mariadb;

import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.expression;
import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.ident;
import static dev.tandem.coordinator.dialect.mariadb.MariaDbDialect.table;
import static dev.tandem.coordinator.sql.Quoting.literal;

import dev.tandem.coordinator.ddl.SyncTrigger;
import dev.tandem.coordinator.ddl.TableRef;
import dev.tandem.coordinator.schema.Names;
import java.util.List;

/**
 * Renders a {@link SyncTrigger} as a BEFORE INSERT and a BEFORE UPDATE row trigger that {@code SET NEW.x}.
 *
 * <p>A write is the new version's when the session has set {@link MariaDbDialect#VERSION_VARIABLE} to the
 * version database (inside a trigger DATABASE() is the trigger's own database, whatever the session uses).
 * Each expression sees the row's columns as local variables named as its own version names them, declared
 * {@code TYPE OF} the column. On UPDATE a target is only recomputed when the expression's value changed, so a
 * write that touches other columns never overwrites a value the other version set. The backfill sets
 * {@link MariaDbDialect#BACKFILL_VARIABLE} so the update trigger stays out of its way. A required target
 * (NOT NULL in the new version) is filled on any update of a row the backfill has not reached, and a NULL in
 * it is refused as the NOT NULL that contract adds will refuse it.
 */
final class MariaDbSyncTriggers {
    private MariaDbSyncTriggers() {
    }

    static List<String> create(SyncTrigger trigger) {
        String version = MariaDbDialect.VERSION_VARIABLE + " <=> " + literal(trigger.newVersionSchema());
        List<SyncTrigger.Rule> required = trigger.up().stream().filter(SyncTrigger.Rule::required).toList();
        String insert = "BEGIN\n"
                + "  IF " + version + " THEN\n" + insertRules(trigger, trigger.downVariables(), trigger.down())
                + "  ELSE\n" + insertRules(trigger, trigger.upVariables(), trigger.up())
                + "  END IF;\n"
                + notNull(required, "  ")
                + "END";
        String update = "BEGIN\n"
                + "  IF " + MariaDbDialect.BACKFILL_VARIABLE + " IS NULL THEN\n"
                + "    IF " + version + " THEN\n" + fillNotBackfilled(trigger, required)
                + updateRules(trigger, trigger.downVariables(), trigger.down())
                + "    ELSE\n" + updateRules(trigger, trigger.upVariables(), trigger.up())
                + "    END IF;\n"
                + notNull(required, "    ")
                + "  END IF;\n"
                + "END";
        return List.of(
                "CREATE TRIGGER IF NOT EXISTS " + name(trigger, "insert") + " BEFORE INSERT ON "
                        + table(trigger.table()) + " FOR EACH ROW\n" + insert,
                "CREATE TRIGGER IF NOT EXISTS " + name(trigger, "update") + " BEFORE UPDATE ON "
                        + table(trigger.table()) + " FOR EACH ROW\n" + update);
    }

    /**
     * A required target is NOT NULL in the new version; until contract makes the column NOT NULL, the triggers
     * refuse a NULL in it as the column will (MariaDB has no NOT VALID check to do it).
     */
    private static String notNull(List<SyncTrigger.Rule> required, String indent) {
        StringBuilder out = new StringBuilder();
        for (SyncTrigger.Rule rule : required) {
            out.append(indent).append("IF NEW.").append(ident(rule.targetColumn())).append(" IS NULL THEN SIGNAL SQLSTATE")
                    .append(" '23000' SET MYSQL_ERRNO = 1048, MESSAGE_TEXT = ")
                    .append(literal("Column '" + rule.targetColumn() + "' cannot be null (NOT NULL in the new version)"))
                    .append("; END IF;\n");
        }
        return out.toString();
    }

    /**
     * A new-version update of a row the backfill has not reached fills its required targets from {@code up}
     * first, as the backfill would, so the NOT NULL check does not refuse an update of an old row.
     */
    private static String fillNotBackfilled(SyncTrigger trigger, List<SyncTrigger.Rule> required) {
        if (required.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("      BEGIN\n");
        declare(out, trigger, trigger.upVariables(), "NEW", "        ");
        for (SyncTrigger.Rule rule : required) {
            String target = ident(rule.targetColumn());
            out.append("        IF NEW.").append(target).append(" IS NULL AND OLD.").append(target)
                    .append(" IS NULL THEN SET NEW.").append(target).append(" = ").append(expression(rule.expression()))
                    .append("; END IF;\n");
        }
        return out.append("      END;\n").toString();
    }

    static List<String> drop(SyncTrigger trigger) {
        return List.of("DROP TRIGGER IF EXISTS " + name(trigger, "insert"),
                "DROP TRIGGER IF EXISTS " + name(trigger, "update"));
    }

    /** Triggers live in their table's database; names are unique per database. */
    private static String name(SyncTrigger trigger, String event) {
        return table(new TableRef(trigger.table().schema(), Names.bounded(trigger.name() + "_" + event)));
    }

    private static String insertRules(SyncTrigger trigger, List<SyncTrigger.Variable> variables,
                                      List<SyncTrigger.Rule> rules) {
        if (rules.isEmpty()) {
            return "    BEGIN END;\n";
        }
        StringBuilder out = new StringBuilder("    BEGIN\n");
        declare(out, trigger, variables, "NEW", "      ");
        for (SyncTrigger.Rule rule : rules) {
            out.append("      SET NEW.").append(ident(rule.targetColumn())).append(" = ")
                    .append(expression(rule.expression())).append(";\n");
        }
        return out.append("    END;\n").toString();
    }

    private static String updateRules(SyncTrigger trigger, List<SyncTrigger.Variable> variables,
                                      List<SyncTrigger.Rule> rules) {
        if (rules.isEmpty()) {
            return "      BEGIN END;\n";
        }
        StringBuilder out = new StringBuilder("      BEGIN\n");
        for (int i = 0; i < rules.size(); i++) {
            out.append("        DECLARE ").append(previous(i)).append(" TYPE OF ")
                    .append(column(trigger, rules.get(i).targetColumn())).append(";\n");
        }
        out.append("        BEGIN\n");
        declare(out, trigger, variables, "OLD", "          ");
        for (int i = 0; i < rules.size(); i++) {
            out.append("          SET ").append(previous(i)).append(" = ")
                    .append(expression(rules.get(i).expression())).append(";\n");
        }
        out.append("        END;\n        BEGIN\n");
        declare(out, trigger, variables, "NEW", "          ");
        for (int i = 0; i < rules.size(); i++) {
            SyncTrigger.Rule rule = rules.get(i);
            String value = expression(rule.expression());
            String target = ident(rule.targetColumn());
            out.append("          IF ").append(rule.required() ? "NEW." + target + " IS NULL OR " : "")
                    .append("NOT (").append(value).append(" <=> ").append(previous(i)).append(") THEN SET NEW.")
                    .append(target).append(" = ").append(value).append("; END IF;\n");
        }
        return out.append("        END;\n      END;\n").toString();
    }

    private static void declare(StringBuilder out, SyncTrigger trigger, List<SyncTrigger.Variable> variables,
                                String row, String indent) {
        for (SyncTrigger.Variable variable : variables) {
            out.append(indent).append("DECLARE ").append(ident(variable.name())).append(" TYPE OF ")
                    .append(column(trigger, variable.column())).append(" DEFAULT ").append(row).append('.')
                    .append(ident(variable.column())).append(";\n");
        }
    }

    private static String column(SyncTrigger trigger, String column) {
        return table(trigger.table()) + "." + ident(column);
    }

    private static String previous(int index) {
        return ident("_tandem_previous_" + index);
    }
}
