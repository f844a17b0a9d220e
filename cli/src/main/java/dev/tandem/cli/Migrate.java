package dev.tandem.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
    private final SecretMask secrets = new SecretMask();

    private Migrate() {
        secrets.hide(System.getenv(ConnectionOptions.PASSWORD_ENV));
    }

    /**
     * A command line that prints to {@code out} and {@code err}, secrets masked; {@code execute} returns an
     * {@link ExitCodes} value.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        Migrate migrate = new Migrate();
        ErrorReporter errors = new ErrorReporter(migrate.secrets);
        return new CommandLine(migrate)
                .setOut(migrate.secrets.wrap(out))
                .setErr(migrate.secrets.wrap(err))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExitCodeExceptionMapper(ExitCodes::of)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    /** The secrets of the command line {@code command} belongs to, for options that learn one to register it. */
    static SecretMask secrets(CommandSpec command) {
        return ((Migrate) command.root().userObject()).secrets;
    }
}
