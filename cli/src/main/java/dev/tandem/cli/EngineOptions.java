package dev.tandem.cli;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.mariadb.MySqlServer;
import dev.tandem.coordinator.internal.sql.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Which schema Tandem changes and how patiently it waits for locks: what every command on a database has. */
public final class EngineOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--schema", paramLabel = "NAME",
            description = "the schema migrations change (default: public on PostgreSQL; on MariaDB and MySQL the "
                    + "database the URL names)")
    private String schema;

    @Option(names = "--state-schema", paramLabel = "NAME", defaultValue = "tandem",
            description = "the schema of Tandem's state tables (default: ${DEFAULT-VALUE})")
    private String stateSchema;

    @Option(names = "--lock-timeout", paramLabel = "MS", defaultValue = "500",
            description = "how long a statement that blocks writes may wait for its lock, in milliseconds "
                    + "(default: ${DEFAULT-VALUE})")
    private long lockTimeoutMillis;

    @Option(names = "--lock-retries", paramLabel = "N", defaultValue = "8",
            description = "how often a step that met a lock timeout or deadlock is tried again "
                    + "(default: ${DEFAULT-VALUE})")
    private int lockRetries;

    @Option(names = "--lock-hold-timeout", paramLabel = "MS", defaultValue = "1000",
            description = "how long a transaction of Tandem may sit idle holding locks (its process paused or cut "
                    + "off) before the server ends its session and releases them, in milliseconds; whole seconds on "
                    + "MariaDB (default: ${DEFAULT-VALUE})")
    private long lockHoldTimeoutMillis;

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long to wait for another run on the same schema to finish (default: ${DEFAULT-VALUE})")
    private long lockWaitSeconds;

    /** {@link #check(UnaryOperator)} for a command with no settings of its own. */
    void check() {
        check(UnaryOperator.identity());
    }

    /** {@link #config(DataSource, UnaryOperator)} for a command with no settings of its own. */
    TandemConfig config(DataSource database) {
        return config(database, UnaryOperator.identity());
    }

    /**
     * Checks the settings, with the command's own ({@code more}), before anything connects.
     *
     * @throws ParameterException naming the first setting that is out of range
     */
    void check(UnaryOperator<TandemConfig.Builder> more) {
        config(schema != null ? schema : "public", more);
    }

    /**
     * @param database where the schema comes from when {@code --schema} is not given
     * @param more     the settings of the command's own options
     * @throws ParameterException naming the first setting that is out of range
     */
    TandemConfig config(DataSource database, UnaryOperator<TandemConfig.Builder> more) {
        return config(schema != null ? schema : defaultSchema(database), more);
    }

    /**
     * For a fleet target: its own schema when the fleet file names one, else as
     * {@link #config(DataSource, UnaryOperator)}.
     */
    TandemConfig config(DataSource database, String targetSchema, UnaryOperator<TandemConfig.Builder> more) {
        return targetSchema != null ? config(targetSchema, more) : config(database, more);
    }

    private TandemConfig config(String targetSchema, UnaryOperator<TandemConfig.Builder> more) {
        try {
            return more.apply(TandemConfig.builder()
                    .schema(targetSchema)
                    .stateSchema(stateSchema)
                    .lockTimeout(Duration.ofMillis(lockTimeoutMillis))
                    .lockRetries(lockRetries)
                    .lockHoldTimeout(Duration.ofMillis(lockHoldTimeoutMillis))
                    .runLockWait(Duration.ofSeconds(lockWaitSeconds)))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * On MariaDB and MySQL the database the connection uses (a database is what PostgreSQL calls a schema there);
     * else {@code public}. Asked of the driver, which alone knows how its URL names the database.
     */
    private static String defaultSchema(DataSource database) {
        try (Connection c = database.getConnection()) {
            if (!MySqlServer.isMySqlFamily(c)) {
                return "public";
            }
            String catalog = c.getCatalog();
            if (catalog == null || catalog.isEmpty()) {
                throw new InvalidMigrationException("the URL names no database: name one there "
                        + "(jdbc:mariadb://host:port/DATABASE) or give --schema");
            }
            return catalog;
        } catch (SQLException e) {
            throw new DatabaseException("cannot connect: " + Secrets.mask(e.getMessage()), e);
        }
    }
}
