package dev.tandem.cli;

import dev.tandem.coordinator.migration.Migration;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "expand", description = "Add what the new version needs without breaking the old one. "
        + "Running it again continues an interrupted expand.")
final class ExpandCommand extends TandemCommand {
    @Parameters(paramLabel = "FILE", description = "the migration file (YAML, or JSON by its .json extension)")
    private Path file;

    @Override
    protected int doCall() {
        Migration migration = MigrationFiles.read(file);
        return withTandem(tandem -> report(tandem.expand(migration),
                "migrate backfill, then deploy the new version; contract once the old one is gone"));
    }
}
