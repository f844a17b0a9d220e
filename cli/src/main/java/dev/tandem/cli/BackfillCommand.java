package dev.tandem.cli;

import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.TableCheck;
import dev.tandem.coordinator.state.BackfillControl;
import dev.tandem.coordinator.state.BackfillProgress;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.liquibase.ChangelogPhase;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backfill", description = "Fill the new columns of existing rows in batches, reporting progress. "
        + "Running it again continues from the last committed batch.")
final class BackfillCommand extends NamedMigrationCommand {
    @Option(names = "--verify", description = "then check on the data that no row still needs backfill and that "
            + "every filled value equals up(row); exit code " + ExitCodes.STATE_CONFLICT + " naming the keys if not")
    private boolean verify;

    @Option(names = "--sample", paramLabel = "ROWS", defaultValue = "0",
            description = "with --verify: check about this many random rows per table instead of all (default: all)")
    private long sample;

    @Mixin
    private BackfillOptions backfill;

    @Override
    protected TandemConfig.Builder settings(TandemConfig.Builder config) {
        return backfill.apply(config);
    }

    /**
     * One connection per backfill worker, and one to spare; as many as {@code migrate control --workers} may ask
     * for, since the pool opens them only as the workers need them.
     */
    @Override
    protected int connections() {
        return Math.max(backfill.workers(), BackfillControl.MAX_WORKERS) + 1;
    }

    @Override
    protected int runPhase() {
        if (changelog() != null) {
            return runChangelog(ChangelogPhase.BACKFILL);
        }
        fleet.refuse(verify, "--verify");
        Optional<Integer> onFleet = onFleet(tandem -> {
            String name = name(tandem);
            return observed(tandem, name, () -> backfillOnce(tandem, name,
                    observing(tandem, name, BackfillListener.NONE)));
        });
        if (onFleet.isPresent()) {
            return onFleet.get();
        }
        return withTandem(tandem -> {
            String name = name(tandem);
            int code;
            try (ProgressOutput progress = ProgressOutput.choose(output.json(), out())) {
                BackfillListener listener = observing(tandem, name, tellingWhere(progress));
                code = report(observed(tandem, name, () -> tandem.backfill(name, listener)),
                        "deploy the new version; once the old one is gone, migrate contract");
            }
            return verify ? verify(tandem, name) : code;
        });
    }

    /** {@code progress}, and each batch also says where the backfill is, should the run be interrupted. */
    private BackfillListener tellingWhere(ProgressOutput progress) {
        return new BackfillListener() {
            @Override
            public void batchDone(BackfillProgress batch) {
                at("backfill of " + batch.table() + ", " + batch.rowsDone() + " rows done; run it again to continue");
                progress.batchDone(batch);
            }

            @Override
            public void paused(String table, String reason) {
                progress.paused(table, reason);
            }
        };
    }

    /** On a fleet: a target whose backfill is complete reports it instead of going over its key ranges again. */
    private static PhaseResult backfillOnce(Tandem tandem, String name, BackfillListener listener) {
        return tandem.status().stream()
                .filter(m -> m.name().equals(name) && m.phase().equals(Phase.EXPANDED.label()) && m.backfillComplete())
                .findFirst().map(m -> new PhaseResult(name, m.phase(), "already backfilled", 0, 0))
                .orElseGet(() -> tandem.backfill(name, listener));
    }

    private int verify(Tandem tandem, String name) {
        List<TableCheck> checks = tandem.verify(name, sample);
        for (TableCheck check : checks) {
            if (output.json()) {
                Json.print(out(), new Verified("verify", check));
            } else {
                out().println("verify " + check.table() + ": " + check.rowsChecked() + " rows checked, "
                        + check.pending() + " still need backfill, " + check.differing() + " differ from up()");
                if (!check.pendingKeys().isEmpty()) {
                    out().println("  need backfill: " + String.join(" ", check.pendingKeys()));
                }
                if (!check.differingKeys().isEmpty()) {
                    out().println("  differ: " + String.join(" ", check.differingKeys()));
                }
            }
        }
        return checks.stream().allMatch(TableCheck::ok) ? ExitCodes.OK : ExitCodes.STATE_CONFLICT;
    }

    private record Verified(String event, TableCheck check) {
    }
}
