package dev.tandem.cli;

import dev.tandem.coordinator.TandemException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns a failure into one message and an exit code: a line on stderr, or with {@code --output json} one JSON
 * document on stdout. Every message is masked (as is all output, see {@link SecretMask}), so a connection URL never
 * shows its password.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final SecretMask secrets;
    private final OptionDefaults defaults;

    ErrorReporter(SecretMask secrets, OptionDefaults defaults) {
        this.secrets = secrets;
        this.defaults = defaults;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        String message = failure instanceof TandemException ? failure.getMessage()
                : "internal error: " + failure;
        int exitCode = command.getCommandSpec().userObject() instanceof VerifyCommand ? ExitCodes.ofVerify(failure)
                : ExitCodes.of(failure);
        return report(command, parsed.originalArgs(), exitCode, message);
    }

    @Override
    public int handleParseException(ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        String suggestion = failure instanceof UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()
                ? "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?" : "";
        return report(command, Arrays.asList(args), ExitCodes.BAD_INPUT, failure.getMessage() + suggestion
                + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
    }

    private int report(CommandLine command, List<String> args, int exitCode, String message) {
        // masked before it is JSON-encoded too: a password parameter's value runs to the end of the message
        String masked = secrets.mask(message);
        if (OutputOptions.jsonRequested(args, defaults)) {
            Json.print(command.getOut(), Map.of("error", new Failure(exitCode, masked)));
        } else {
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + masked);
            command.getErr().flush();
        }
        return exitCode;
    }

    private record Failure(int code, String message) {
    }
}
