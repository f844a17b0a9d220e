package dev.tandem.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.fleet.FleetTarget;
import dev.tandem.coordinator.migration.MigrationDirectory;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.liquibase.Changelog;
import dev.tandem.liquibase.ChangelogPhase;
import dev.tandem.liquibase.ChangelogResult;
import dev.tandem.liquibase.LiquibasePhases;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import picocli.CommandLine.Mixin;

/** A command that works on a database through Tandem. */
abstract class TandemCommand extends BaseCommand {
    /** Liquibase logs each step at INFO on stderr through java.util.logging; the command prints its own summary. */
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    @Mixin
    ConnectionOptions connection;

    @Mixin
    EngineOptions engine;

    /** Checks the settings, connects, runs {@code work} and disconnects; returns what {@code work} returned. */
    protected final int withTandem(ToIntFunction<Tandem> work) {
        engine.check(this::settings);
        try (HikariDataSource pool = connection.open(connections())) {
            return work.applyAsInt(Tandem.create(pool,
                    engine.config(pool, config -> watched(settings(config), pool, null))));
        }
    }

    /** The settings of the command's own options (backfill, instances) beside the engine's; none by default. */
    protected TandemConfig.Builder settings(TandemConfig.Builder config) {
        return config;
    }

    /**
     * The config of a run on {@code database}, as the command watches it (a phase's steps, for the metrics); as
     * given by default.
     *
     * @param target the fleet target, or null for the database of {@code --url}
     */
    protected TandemConfig.Builder watched(TandemConfig.Builder config, DataSource database, FleetTarget target) {
        return config;
    }

    /**
     * Runs {@code work}, a phase of {@code migration}: as it is here; a {@link PhaseCommand} runs its hooks around it
     * and keeps its metrics.
     *
     * @param summary what the work did, as the post- hooks are told
     */
    protected <T> T observed(Tandem tandem, String migration, Supplier<T> work, Function<T, PhaseResult> summary) {
        return work.get();
    }

    /** How many connections the command uses at most: one, and one to spare. */
    protected int connections() {
        return 2;
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

    /** Says that no migration of {@code directory} is pending: there is nothing to do. */
    protected final int reportNothingPending(MigrationDirectory directory) {
        if (output.json()) {
            Json.print(out(), new NothingPending(directory.path().toString(), "nothing pending"));
        } else {
            out().println(directory.path() + ": nothing pending");
        }
        return ExitCodes.OK;
    }

    private record NothingPending(String directory, String outcome) {
    }

    /** Tandem's runner of Liquibase changelogs, with Liquibase's step-by-step logging off the terminal. */
    protected static LiquibasePhases liquibase(Tandem tandem) {
        quietLiquibase();
        return new LiquibasePhases(tandem);
    }

    /** Keeps Liquibase's step-by-step logging off the terminal; warnings still show. */
    static void quietLiquibase() {
        LIQUIBASE_LOG.setLevel(Level.WARNING);
    }

    /** Runs {@code phase}'s changesets of a phase-labelled Liquibase changelog and prints which ran. */
    protected final int runChangelog(ChangelogOption changelog, ChangelogPhase phase) {
        return withTandem(tandem -> {
            Changelog file = changelog.changelog();
            ChangelogResult result = observed(tandem, file.path(), () -> liquibase(tandem).run(phase, file),
                    applied -> changelogSummary(applied.changelog(), "applied", applied.applied()));
            if (output.json()) {
                Json.print(out(), new ChangelogReport(result.changelog(), phase.label(), result.applied()));
                return ExitCodes.OK;
            }
            out().println(result.changelog() + ": " + phase.label() + " applied " + result.applied().size()
                    + " changeset(s)" + (result.applied().isEmpty() ? "" : ": " + String.join(", ", result.applied())));
            return ExitCodes.OK;
        });
    }

    /** What the hooks of a changelog's phase are told: the changesets it ran; no migration phase. */
    protected static PhaseResult changelogSummary(String changelog, String verb, List<String> changesets) {
        return new PhaseResult(changelog, "", verb + " " + changesets.size() + " changeset(s)", changesets.size(), 0);
    }

    private record ChangelogReport(String changelog, String phase, List<String> applied) {
    }
}
