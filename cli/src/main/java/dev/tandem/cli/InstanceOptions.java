package dev.tandem.cli;

import dev.tandem.coordinator.TandemConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Which application instances count as running: for the commands that show or respect them. */
public final class InstanceOptions {
    @Option(names = "--instance-ttl", paramLabel = "SECONDS", defaultValue = "60",
            description = "how recent an application instance's heartbeat must be to count as running "
                    + "(default: ${DEFAULT-VALUE})")
    private long instanceTtlSeconds;

    TandemConfig.Builder apply(TandemConfig.Builder config) {
        return config.instanceTtl(Duration.ofSeconds(instanceTtlSeconds));
    }
}
