package dev.tandem.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The {@code migrate} command: its subcommands, and how failures become messages and exit codes. */
@Command(name = "migrate", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Zero-downtime schema changes for PostgreSQL: expand, backfill, contract, or roll back.",
        subcommands = {ExpandCommand.class, BackfillCommand.class, ContractCommand.class, RollbackCommand.class,
                BaselineCommand.class, StatusCommand.class, PlanCommand.class, VerifyCommand.class,
                VerifyDataCommand.class, DemoCommand.class},
        footer = ExitCodes.HELP)
public final class Migrate {
    private Migrate() {
    }

    /** A command line that prints to {@code out} and {@code err}; {@code execute} returns an {@link ExitCodes} value. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        ErrorReporter errors = new ErrorReporter();
        return new CommandLine(new Migrate())
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExitCodeExceptionMapper(ExitCodes::of)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }
}
