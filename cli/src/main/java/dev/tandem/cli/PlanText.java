package dev.tandem.cli;

import java.io.PrintWriter;
import java.util.List;

/** {@link PlanView} for people: per phase and stage, each statement with the lock it takes. */
final class PlanText {
    private PlanText() {
    }

    static void print(PlanView plan, PrintWriter out) {
        out.println("Plan of migration " + plan.migration() + " on schema " + plan.schema() + " (nothing is changed)");
        out.println("New version's schema: " + plan.versionSchema() + "; old version's: "
                + (plan.previousVersionSchema() == null ? plan.schema() : plan.previousVersionSchema()));
        out.println(plan.databases().summary());
        for (PlanView.Phase phase : plan.phases()) {
            printPhase(phase, out);
            if (phase.phase().equals("expand")) {
                printBackfill(plan.backfill(), out);
            }
        }
    }

    private static void printPhase(PlanView.Phase phase, PrintWriter out) {
        out.println();
        out.println(phase.phase());
        String stage = null;
        for (PlanView.Statement statement : phase.statements()) {
            if (!statement.stage().equals(stage)) {
                stage = statement.stage();
                out.println("  " + stage.replace("_", " the ") + ":");
            }
            out.println("    " + statement.origin());
            out.println("      lock: " + statement.lock() + (statement.blocksWrites() ? ", blocks writes" : "")
                    + " - " + statement.lockEffect());
            for (String sql : statement.sql()) {
                String text = sql.strip();
                out.println("      " + text.replace("\n", "\n      ") + (text.endsWith(";") ? "" : ";"));
            }
        }
        if (phase.statements().isEmpty()) {
            out.println("  nothing to run");
        }
    }

    private static void printBackfill(List<PlanView.Target> targets, PrintWriter out) {
        out.println();
        out.println("backfill");
        if (targets.isEmpty()) {
            out.println("  nothing to backfill");
        }
        for (PlanView.Target target : targets) {
            out.println("  " + target.table() + ", in batches by (" + String.join(", ", target.key())
                    + "), rows where the column is null:");
            for (PlanView.Fill fill : target.columns()) {
                out.println("    " + fill.column() + " = " + fill.up());
            }
        }
    }
}
