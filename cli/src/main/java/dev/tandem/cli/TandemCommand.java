package dev.tandem.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.state.Phase;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Mixin;

/** A command that works on a database through Tandem. */
abstract class TandemCommand extends BaseCommand {
    @Mixin
    ConnectionOptions connection;

    @Mixin
    EngineOptions engine;

    /** Checks the settings, connects, runs {@code work} and disconnects; returns what {@code work} returned. */
    protected final int withTandem(ToIntFunction<Tandem> work) {
        TandemConfig config = engine.config();
        // one connection per backfill worker, and one to spare
        try (HikariDataSource pool = connection.open(Math.max(2, config.workers() + 1))) {
            return work.applyAsInt(Tandem.create(pool, config));
        }
    }

    protected final int report(PhaseResult result) {
        return report(result, null);
    }

    /** Prints what a phase did, and in text the step that usually comes next while both versions can run. */
    protected final int report(PhaseResult result, String nextStep) {
        if (output.json()) {
            Json.print(out(), result);
            return ExitCodes.OK;
        }
        String amount = result.rows() > 0 ? result.rows() + " rows" : result.statements() + " statements";
        out().println(result.migration() + ": " + result.outcome() + " (" + amount + "); phase " + result.phase());
        if (nextStep != null && result.phase().equals(Phase.EXPANDED.label())) {
            out().println("next: " + nextStep);
        }
        return ExitCodes.OK;
    }
}
