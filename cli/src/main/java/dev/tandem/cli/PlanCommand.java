package dev.tandem.cli;

import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationFiles;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = "Show what each phase would run, when, and which locks it takes. "
        + "Changes nothing, not even Tandem's state.")
final class PlanCommand extends TandemCommand {
    @Parameters(paramLabel = "FILE", description = "the migration file (YAML, or JSON by its .json extension)")
    private Path file;

    @Override
    protected int doCall() {
        Migration migration = MigrationFiles.read(file);
        return withTandem(tandem -> {
            PlanView plan = PlanView.of(tandem.plan(migration), migration.portability());
            if (output.json()) {
                Json.print(out(), plan);
            } else {
                PlanText.print(plan, out());
            }
            return ExitCodes.OK;
        });
    }
}
