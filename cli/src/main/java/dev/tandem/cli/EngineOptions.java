package dev.tandem.cli;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.dialect.mariadb.MySqlServer;
import dev.tandem.coordinator.sql.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Which schema Tandem changes and how patiently it waits for locks. */
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

    @Option(names = "--batch-size", paramLabel = "ROWS", defaultValue = "1000",
            description = "rows of each backfill worker's first batch; later batches adapt toward --batch-target "
                    + "(default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(names = "--batch-min", paramLabel = "ROWS", defaultValue = "10",
            description = "the fewest rows a backfill batch shrinks to (default: ${DEFAULT-VALUE})")
    private int batchMin;

    @Option(names = "--batch-max", paramLabel = "ROWS", defaultValue = "200000",
            description = "the most rows a backfill batch grows to (default: ${DEFAULT-VALUE})")
    private int batchMax;

    @Option(names = "--batch-target", paramLabel = "MS", defaultValue = "500",
            description = "how long one backfill batch should take, in milliseconds (default: ${DEFAULT-VALUE})")
    private long batchTargetMillis;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "backfill workers in this process, each on its own connection; backfills started in "
                    + "other processes join in (default: ${DEFAULT-VALUE})")
    private int workers;

    @Option(names = "--max-rate", paramLabel = "ROWS", defaultValue = "0",
            description = "the most rows per second this process backfills; 0 for no limit (default: ${DEFAULT-VALUE})")
    private long maxRate;

    @Option(names = "--max-active-sessions", paramLabel = "N", defaultValue = "0",
            description = "pause the backfill while more sessions than this are active in the database; 0 for no "
                    + "limit (default: ${DEFAULT-VALUE})")
    private int maxActiveSessions;

    @Option(names = "--max-replication-lag", paramLabel = "MS", defaultValue = "0",
            description = "pause the backfill while a replica's replay lag exceeds this, in milliseconds; 0 for no "
                    + "limit (default: ${DEFAULT-VALUE})")
    private long maxReplicationLagMillis;

    @Option(names = "--instance-ttl", paramLabel = "SECONDS", defaultValue = "60",
            description = "how recent an application instance's heartbeat must be to count as running "
                    + "(default: ${DEFAULT-VALUE})")
    private long instanceTtlSeconds;

    /** How many backfill workers this process runs, as given (config() checks it). */
    int workers() {
        return workers;
    }

    /**
     * Checks the settings before anything connects.
     *
     * @throws ParameterException naming the first setting that is out of range
     */
    void check() {
        config(schema != null ? schema : "public");
    }

    /**
     * @param database where the schema comes from when {@code --schema} is not given
     * @throws ParameterException naming the first setting that is out of range
     */
    TandemConfig config(DataSource database) {
        return config(schema != null ? schema : defaultSchema(database));
    }

    /** For a fleet target: its own schema when the fleet file names one, else as {@link #config(DataSource)}. */
    TandemConfig config(DataSource database, String targetSchema) {
        return targetSchema != null ? config(targetSchema) : config(database);
    }

    private TandemConfig config(String targetSchema) {
        try {
            return TandemConfig.builder()
                    .schema(targetSchema)
                    .stateSchema(stateSchema)
                    .lockTimeout(Duration.ofMillis(lockTimeoutMillis))
                    .lockRetries(lockRetries)
                    .lockHoldTimeout(Duration.ofMillis(lockHoldTimeoutMillis))
                    .runLockWait(Duration.ofSeconds(lockWaitSeconds))
                    .batchSize(batchSize)
                    .batchSizeBounds(batchMin, batchMax)
                    .targetBatchDuration(Duration.ofMillis(batchTargetMillis))
                    .workers(workers)
                    .maxRate(maxRate)
                    .maxActiveSessions(maxActiveSessions)
                    .maxReplicationLag(Duration.ofMillis(maxReplicationLagMillis))
                    .instanceTtl(Duration.ofSeconds(instanceTtlSeconds))
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
