package dev.tandem.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --hooks DIR}: executables run before and after a phase, on failure and on throttle (docs/hooks.md). */
public final class HookOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--hooks", paramLabel = "DIR",
            description = "run the executables of DIR named after a point of the phase: pre-PHASE and post-PHASE "
                    + "(pre-expand, post-backfill, ...), on-failure, on-throttle, or such a name and .SUFFIX; a "
                    + "failing pre- hook stops the phase before it changes anything (exit code " + ExitCodes.HOOK
                    + ")")
    private Path dir;

    @Option(names = "--hook-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long a hook may run before it is killed and counts as failed (default: "
                    + "${DEFAULT-VALUE})")
    private long timeoutSeconds;

    Hooks hooks(PrintWriter err) {
        if (timeoutSeconds < 1) {
            throw new ParameterException(command.commandLine(), "--hook-timeout must be at least 1 second, not "
                    + timeoutSeconds);
        }
        if (dir == null) {
            return Hooks.NONE;
        }
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(command.commandLine(), "--hooks " + dir + ": no such directory");
        }
        return new Hooks(dir, Duration.ofSeconds(timeoutSeconds), err);
    }
}
