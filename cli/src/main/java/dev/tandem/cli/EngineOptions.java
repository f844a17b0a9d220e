package dev.tandem.cli;

import dev.tandem.coordinator.TandemConfig;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Which schema Tandem changes and how patiently it waits for locks. */
public final class EngineOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = "public",
            description = "the schema migrations change (default: ${DEFAULT-VALUE})")
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

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long to wait for another run on the same schema to finish (default: ${DEFAULT-VALUE})")
    private long lockWaitSeconds;

    @Option(names = "--batch-size", paramLabel = "ROWS", defaultValue = "1000",
            description = "rows per backfill batch (default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(names = "--instance-ttl", paramLabel = "SECONDS", defaultValue = "60",
            description = "how recent an application instance's heartbeat must be to count as running "
                    + "(default: ${DEFAULT-VALUE})")
    private long instanceTtlSeconds;

    /** @throws ParameterException naming the first setting that is out of range */
    TandemConfig config() {
        try {
            return TandemConfig.builder()
                    .schema(schema)
                    .stateSchema(stateSchema)
                    .lockTimeout(Duration.ofMillis(lockTimeoutMillis))
                    .lockRetries(lockRetries)
                    .runLockWait(Duration.ofSeconds(lockWaitSeconds))
                    .batchSize(batchSize)
                    .instanceTtl(Duration.ofSeconds(instanceTtlSeconds))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }
}
