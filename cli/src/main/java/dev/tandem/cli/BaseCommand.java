package dev.tandem.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** What every subcommand has: the output format and the command line's writers. Failures are left to {@link ErrorReporter}. */
abstract class BaseCommand implements Callable<Integer> {
    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    /** Where the command is, for the report of a run interrupted (Ctrl-C, SIGTERM) before it ends. */
    private volatile String at;

    @Override
    public final Integer call() throws Exception {
        hideSecrets();
        Thread onInterrupt = new Thread(this::interrupted, "migrate-interrupted");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            return doCall();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook reports the interruption
            }
            out().flush();
            err().flush();
        }
    }

    /** Whatever option carries a URL or a password, its secrets are masked in all output from now on. */
    private void hideSecrets() {
        SecretMask secrets = Migrate.secrets(spec);
        for (OptionSpec option : spec.options()) {
            Object value = option.getValue();
            if (value instanceof char[] typed) {
                secrets.hide(new String(typed));
            } else if (value instanceof String text) {
                secrets.hideUrl(text);
            }
        }
    }

    /** Says where the command is now, for the report of an interrupted run. */
    protected final void at(String where) {
        at = where;
    }

    /**
     * Ends the output of an interrupted run with a report of it: with {@code --output json} a last document, so a
     * reader of the JSON lines learns that no result follows.
     */
    private void interrupted() {
        String command = spec.qualifiedName();
        if (output.json()) {
            Json.print(out(), Map.of("interrupted", new Interrupted(command, at)));
        } else {
            err().println(command + ": interrupted" + (at == null ? "" : " at " + at));
            err().flush();
        }
    }

    /** @param at where the command was, null when it had not said */
    private record Interrupted(String command, String at) {
    }

    /** Runs the command; returns an {@link ExitCodes} value. */
    protected abstract int doCall() throws Exception;

    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
