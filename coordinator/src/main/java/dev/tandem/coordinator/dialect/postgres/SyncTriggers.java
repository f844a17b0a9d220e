package dev.tandem.coordinator.dialect.postgres;

import static dev.tandem.coordinator.sql.Quoting.ident;
import static dev.tandem.coordinator.sql.Quoting.literal;

import dev.tandem.coordinator.ddl.SyncTrigger;
import java.util.List;

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
 */
final class SyncTriggers {
    private SyncTriggers() {
    }

    static List<String> create(SyncTrigger trigger) {
        String function = function(trigger);
        String body = "BEGIN\n"
                + "  IF (current_schemas(false))[1] = " + literal(trigger.newVersionSchema()) + " THEN\n"
                + fillNotBackfilled(trigger)
                + direction(trigger, trigger.downVariables(), trigger.down())
                + "  ELSE\n"
                + direction(trigger, trigger.upVariables(), trigger.up())
                + "  END IF;\n"
                + "  RETURN NEW;\n"
                + "END";
        String tag = dollarTag(body);
        return List.of(
                "CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS " + tag + "\n"
                        + body + "\n" + tag,
                "CREATE TRIGGER " + ident(trigger.name()) + " BEFORE INSERT OR UPDATE ON "
                        + PostgresDialect.table(trigger.table()) + " FOR EACH ROW WHEN (current_setting("
                        + literal(PostgresDialect.BACKFILL_SETTING) + ", true) IS DISTINCT FROM 'on') "
                        + "EXECUTE FUNCTION " + function + "()");
    }

    static List<String> drop(SyncTrigger trigger) {
        return List.of(
                "DROP TRIGGER IF EXISTS " + ident(trigger.name()) + " ON " + PostgresDialect.table(trigger.table()),
                "DROP FUNCTION IF EXISTS " + function(trigger) + "()");
    }

    private static String function(SyncTrigger trigger) {
        return ident(trigger.functionSchema()) + "." + ident(trigger.name());
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
        StringBuilder out = new StringBuilder("    IF TG_OP = 'UPDATE' THEN\n      DECLARE\n");
        declare(out, trigger, trigger.upVariables(), "        ");
        out.append("      BEGIN\n");
        assign(out, trigger.upVariables(), "NEW");
        for (SyncTrigger.Rule rule : required) {
            String target = ident(rule.targetColumn());
            out.append("        IF NEW.").append(target).append(" IS NULL AND OLD.").append(target)
                    .append(" IS NULL THEN\n")
                    .append("          NEW.").append(target).append(" := ").append(rule.expression().wrapped())
                    .append(";\n")
                    .append("          OLD.").append(target).append(" := NEW.").append(target).append(";\n")
                    .append("        END IF;\n");
        }
        return out.append("      END;\n    END IF;\n").toString();
    }

    private static String direction(SyncTrigger trigger, List<SyncTrigger.Variable> variables,
                                    List<SyncTrigger.Rule> rules) {
        if (rules.isEmpty()) {
            return "    NULL;\n";
        }
        StringBuilder out = new StringBuilder("    DECLARE\n");
        declare(out, trigger, variables, "      ");
        for (int i = 0; i < rules.size(); i++) {
            out.append("      ").append(previous(i)).append(' ')
                    .append(PostgresDialect.table(trigger.table())).append('.')
                    .append(ident(rules.get(i).targetColumn())).append("%TYPE;\n");
        }
        out.append("    BEGIN\n      IF TG_OP = 'UPDATE' THEN\n");
        assign(out, variables, "OLD");
        for (int i = 0; i < rules.size(); i++) {
            out.append("        ").append(previous(i)).append(" := ").append(rules.get(i).expression().wrapped())
                    .append(";\n");
        }
        out.append("      END IF;\n");
        assign(out, variables, "NEW");
        for (int i = 0; i < rules.size(); i++) {
            SyncTrigger.Rule rule = rules.get(i);
            out.append("      IF TG_OP = 'INSERT' OR ")
                    .append(rule.required() ? "NEW." + ident(rule.targetColumn()) + " IS NULL OR " : "")
                    .append(rule.expression().wrapped())
                    .append(" IS DISTINCT FROM ").append(previous(i)).append(" THEN\n")
                    .append("        NEW.").append(ident(rule.targetColumn())).append(" := ")
                    .append(rule.expression().wrapped()).append(";\n")
                    .append("      END IF;\n");
        }
        out.append("    END;\n");
        return out.toString();
    }

    private static void declare(StringBuilder out, SyncTrigger trigger, List<SyncTrigger.Variable> variables,
                                String indent) {
        for (SyncTrigger.Variable variable : variables) {
            out.append(indent).append(ident(variable.name())).append(' ')
                    .append(PostgresDialect.table(trigger.table())).append('.').append(ident(variable.column()))
                    .append("%TYPE;\n");
        }
    }

    private static void assign(StringBuilder out, List<SyncTrigger.Variable> variables, String record) {
        for (SyncTrigger.Variable variable : variables) {
            out.append("        ").append(ident(variable.name())).append(" := ").append(record).append('.')
                    .append(ident(variable.column())).append(";\n");
        }
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
