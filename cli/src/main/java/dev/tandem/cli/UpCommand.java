package dev.tandem.cli;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.DirectoryStatus;
import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.migration.MigrationDirectory;
import dev.tandem.coordinator.state.BackfillControl;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "up", description = "Run the pending migrations of a directory in order, each through expand, "
        + "backfill and contract (or as far as --through), one after the other. Running it again does nothing more "
        + "when all is done, and continues a half-done one.")
final class UpCommand extends PhaseCommand {
    @Parameters(paramLabel = "DIR", description = "the directory of migrations (YAML or JSON files), applied in file "
            + "name order or as their 'after' keys say")
    private Path directory;

    @Option(names = "--through", paramLabel = "PHASE", defaultValue = "contract",
            description = "the last phase to run: expand (stops once the next migration is expanded), backfill, or "
                    + "contract (every pending migration, one after the other; default)")
    private Through through;

    @Option(names = "--to", paramLabel = "NAME", description = "stop after this migration of the directory")
    private String to;

    @Mixin
    private DirectoryOptions directories;

    @Mixin
    private BackfillOptions backfill;

    @Mixin
    private InstanceOptions instances;

    /** The phases {@code --through} takes. */
    enum Through {
        EXPAND(PhaseKind.EXPAND), BACKFILL(PhaseKind.BACKFILL), CONTRACT(PhaseKind.CONTRACT);

        private final PhaseKind phase;

        Through(PhaseKind phase) {
            this.phase = phase;
        }
    }

    @Override
    protected TandemConfig.Builder settings(TandemConfig.Builder config) {
        return instances.apply(backfill.apply(config));
    }

    /** As many connections as backfill may use. */
    @Override
    protected int connections() {
        return Math.max(backfill.workers(), BackfillControl.MAX_WORKERS) + 1;
    }

    @Override
    protected int runPhase() {
        MigrationDirectory migrations = MigrationDirectory.read(directory);
        return withTandem(tandem -> {
            DirectoryStatus.Step last = null;
            int phases = 0;
            Optional<DirectoryStatus.Step> next = directories.status(tandem, migrations, err()).next(through.phase, to);
            for (; next.isPresent(); next = tandem.pending(migrations).next(through.phase, to)) {
                DirectoryStatus.Step step = next.get();
                if (step.equals(last)) {
                    throw new StateConflictException(step.migration().name() + ": " + step.phase().label()
                            + " ran but the migration did not move on; see migrate status " + directory);
                }
                run(tandem, step);
                last = step;
                phases++;
            }
            if (phases == 0) {
                return reportNothingPending(migrations);
            }
            return ExitCodes.OK;
        });
    }

    /** Runs one phase of one migration between that phase's hooks, with its metrics, and reports it. */
    private void run(Tandem tandem, DirectoryStatus.Step step) {
        String name = step.migration().name();
        if (step.phase() != PhaseKind.BACKFILL) {
            report(observed(step.phase(), tandem, name, () -> tandem.run(step, BackfillListener.NONE,
                    InstanceCheck.ENFORCE)));
            return;
        }
        try (ProgressOutput progress = ProgressOutput.choose(output.json(), out())) {
            BackfillListener listener = observing(tandem, name, progress);
            report(observed(step.phase(), tandem, name, () -> tandem.run(step, listener, InstanceCheck.ENFORCE)));
        }
    }
}
