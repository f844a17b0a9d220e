package dev.tandem.cli;

import java.io.PrintWriter;
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

    @Override
    public final Integer call() throws Exception {
        hideSecrets();
        try {
            return doCall();
        } finally {
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

    /** Runs the command; returns an {@link ExitCodes} value. */
    protected abstract int doCall() throws Exception;

    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
