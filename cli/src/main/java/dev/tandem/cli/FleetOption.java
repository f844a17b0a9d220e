package dev.tandem.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --fleet FILE}: the command on every database of a fleet file instead of the one {@code --url} names. */
class FleetOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--fleet", paramLabel = "FILE",
            description = "run on every target of this fleet file (YAML, see docs/fleet.md), wave by wave; "
                    + "--url, --user and the password options are not used then")
    private Path file;

    Path file() {
        return file;
    }

    /** Refuses {@code option} beside {@code --fleet}. */
    void refuse(boolean given, String option) {
        if (given && file != null) {
            throw new ParameterException(command.commandLine(), option + " cannot be used with --fleet");
        }
    }
}
