package dev.tandem.cli.demo;

import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.PlannedPhase;
import dev.tandem.coordinator.PlannedStatement;
import dev.tandem.coordinator.state.BackfillProgress;
import java.io.PrintWriter;
import java.util.List;

/** Tells what the demo does as it happens. Lines come from several threads, so each is printed whole. */
final class Narrator {
    private static final int MAX_WIDTH = 110;

    private final PrintWriter out;

    Narrator(PrintWriter out) {
        this.out = out;
    }

    synchronized void say(String line) {
        out.println(line);
        out.flush();
    }

    void phase(String name, String purpose) {
        say("");
        say("== " + name + ": " + purpose);
    }

    /** The statements of a phase, grouped the way they run. */
    void plan(PlannedPhase plan) {
        statements("each on its own, before the transaction", plan.before());
        statements("in one short transaction", plan.main());
        statements("each on its own, after the transaction", plan.after());
    }

    void result(PhaseResult result, long millis) {
        String counts = result.rows() > 0 ? result.rows() + " rows" : result.statements() + " statements";
        say("   -> " + result.outcome() + ": " + counts + " in " + millis + " ms");
    }

    /** One batch: how far the key has come and how many rows of the table were filled so far. */
    void backfill(BackfillProgress progress) {
        String key = progress.lastKey() == null ? "" : progress.lastKey().replaceAll("[\\[\\]\"]", "");
        say(String.format("   backfill %-10s %-16s %4d rows filled%s", progress.table(),
                progress.done() ? "done" : "through key " + key, progress.rowsDone(),
                progress.done() ? "" : " (table has about " + progress.estimate() + ")"));
    }

    private void statements(String how, List<PlannedStatement> statements) {
        if (statements.isEmpty()) {
            return;
        }
        say("   " + how + ":");
        for (PlannedStatement statement : statements) {
            for (String sql : statement.sql()) {
                say("     " + abbreviated(sql));
            }
        }
    }

    private static String abbreviated(String sql) {
        String line = sql.lines().findFirst().orElse("").strip();
        boolean more = sql.strip().contains("\n") || line.length() > MAX_WIDTH;
        return more ? line.substring(0, Math.min(line.length(), MAX_WIDTH)) + " ..." : line;
    }
}
