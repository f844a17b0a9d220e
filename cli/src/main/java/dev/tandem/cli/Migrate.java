package dev.tandem.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code migrate} command: its subcommands, and how failures become messages and exit codes. */
@Command(name = "migrate", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Zero-downtime schema changes for PostgreSQL and MariaDB: expand, backfill, contract, or roll "
                + "back.",
        subcommands = {ExpandCommand.class, BackfillCommand.class, ContractCommand.class, RevertCommand.class,
                PurgeCommand.class, RollbackCommand.class, UpCommand.class,
                ControlCommand.class, BaselineCommand.class, StatusCommand.class, PlanCommand.class,
                VerifyCommand.class, VerifyDataCommand.class, DemoCommand.class, CompletionCommand.class},
        footer = OptionDefaults.HELP + ExitCodes.HELP)
public final class Migrate {
    private final SecretMask secrets = new SecretMask();
    private OptionDefaults defaults;

    @Option(names = OptionDefaults.CONFIG_OPTION, scope = ScopeType.INHERIT, paramLabel = "FILE", order = 1000,
            description = "read settings from FILE (.yaml or .properties) instead of tandem.yaml or "
                    + "tandem.properties in the working directory")
    private void config(Path file) {
        defaults.configFile(file);
    }

    private Migrate() {
        secrets.hide(System.getenv(ConnectionOptions.PASSWORD_ENV));
    }

    /**
     * A command line that prints to {@code out} and {@code err}, secrets masked; {@code execute} returns an
     * {@link ExitCodes} value.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, System.getenv(), Path.of("").toAbsolutePath());
    }

    /** The same, with options read from {@code env} and a config file in {@code workingDirectory}. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env, Path workingDirectory) {
        Migrate migrate = new Migrate();
        CommandLine commandLine = new CommandLine(migrate);
        migrate.defaults = new OptionDefaults(commandLine.getCommandSpec(), env, workingDirectory);
        ErrorReporter errors = new ErrorReporter(migrate.secrets, migrate.defaults);
        return commandLine
                .setDefaultValueProvider(migrate.defaults)
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
