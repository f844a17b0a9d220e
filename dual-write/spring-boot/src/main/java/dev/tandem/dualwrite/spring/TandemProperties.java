package dev.tandem.dualwrite.spring;

import dev.tandem.dualwrite.GuardListener;
import dev.tandem.dualwrite.PhaseGuard;
import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code tandem.*}: the schema version the application was built for, and the guard's settings. */
@ConfigurationProperties("tandem")
public class TandemProperties {
    /** The migration the application was built for (its name), or {@code base}. Required. */
    private String version;
    /** The schema whose tables the migrations change. */
    private String schema = "public";
    /** The schema of Tandem's state tables. */
    private String stateSchema = "tandem";
    /** How long the start-up check may take in all, connecting included. */
    private Duration timeout = Duration.ofSeconds(10);
    /** How often the instance refreshes its heartbeat; keep it well below the coordinator's instance TTL. */
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    /**
     * Whether the new version of a migration may start before its backfill has finished; by default the start-up
     * check refuses it.
     */
    private boolean acceptIncompleteBackfill;

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public String getStateSchema() {
        return stateSchema;
    }

    public void setStateSchema(String stateSchema) {
        this.stateSchema = stateSchema;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public boolean isAcceptIncompleteBackfill() {
        return acceptIncompleteBackfill;
    }

    public void setAcceptIncompleteBackfill(boolean acceptIncompleteBackfill) {
        this.acceptIncompleteBackfill = acceptIncompleteBackfill;
    }

    PhaseGuard guard(Stream<GuardListener> listeners) {
        PhaseGuard.Builder builder = PhaseGuard.builder(version).schema(schema).stateSchema(stateSchema)
                .timeout(timeout).heartbeatInterval(heartbeatInterval)
                .acceptIncompleteBackfill(acceptIncompleteBackfill);
        listeners.forEach(builder::listener);
        return builder.build();
    }
}
