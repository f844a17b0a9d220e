package dev.tandem.cli;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import picocli.CommandLine.Parameters;

/** A phase command on a migration already expanded, named or else the current one. */
abstract class NamedMigrationCommand extends TandemCommand {
    @Parameters(paramLabel = "NAME", arity = "0..1",
            description = "the migration (default: the one in flight, else the latest)")
    private String name;

    protected final String name(Tandem tandem) {
        if (name != null) {
            return name;
        }
        return tandem.currentMigration().orElseThrow(() -> new StateConflictException(
                "no migration has been expanded on schema '" + tandem.config().schema() + "'; nothing to "
                        + spec.name()));
    }
}
