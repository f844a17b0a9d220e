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
                if (!plan.backfillEnd().isEmpty()) {
                    out.println("  once every batch is done:");
                    printStatements(plan.backfillEnd(), "    ", out);
                }
            }
        }
    }

    private static void printPhase(PlanView.Phase phase, PrintWriter out) {
        out.println();
        out.println(phase.phase());
        printStatements(phase.statements(), "  ", out);
        if (phase.statements().isEmpty()) {
            out.println("  nothing to run");
        }
    }

    /** Statements under a line per stage, each with its origin and lock, {@code indent} in. */
    private static void printStatements(List<PlanView.Statement> statements, String indent, PrintWriter out) {
        String stage = null;
        for (PlanView.Statement statement : statements) {
            if (!statement.stage().equals(stage)) {
                stage = statement.stage();
                out.println(indent + stage.replace("_", " the ") + ":");
            }
            out.println(indent + "  " + statement.origin());
            out.println(indent + "    lock: " + statement.lock() + (statement.blocksWrites() ? ", blocks writes" : "")
                    + " - " + statement.lockEffect());
            for (String sql : statement.sql()) {
                String text = sql.strip();
                out.println(indent + "    " + text.replace("\n", "\n" + indent + "    ")
                        + (text.endsWith(";") ? "" : ";"));
            }
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
