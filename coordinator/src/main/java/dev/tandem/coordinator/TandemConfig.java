package dev.tandem.coordinator;

import dev.tandem.coordinator.sql.Identifier;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How Tandem runs against one database schema. Built with {@link #builder()}, checked as a whole by
 * {@link Builder#build()}, immutable afterwards. Values out of range are errors, never quietly adjusted.
 */
public final class TandemConfig {
    private final String schema;
    private final String stateSchema;
    private final Duration lockTimeout;
    private final int lockRetries;
    private final Duration retryBaseDelay;
    private final Duration retryMaxDelay;
    private final Duration runLockWait;
    private final int batchSize;
    private final Duration batchStatementTimeout;
    private final Duration instanceTtl;
    private final Consumer<String> afterStep;

    private TandemConfig(Builder b) {
        this.schema = b.schema;
        this.stateSchema = b.stateSchema;
        this.lockTimeout = b.lockTimeout;
        this.lockRetries = b.lockRetries;
        this.retryBaseDelay = b.retryBaseDelay;
        this.retryMaxDelay = b.retryMaxDelay;
        this.runLockWait = b.runLockWait;
        this.batchSize = b.batchSize;
        this.batchStatementTimeout = b.batchStatementTimeout;
        this.instanceTtl = b.instanceTtl;
        this.afterStep = b.afterStep;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The schema whose tables migrations change. */
    public String schema() {
        return schema;
    }

    /** The schema of Tandem's own state tables and trigger functions. */
    public String stateSchema() {
        return stateSchema;
    }

    /** How long a statement that blocks writes may wait for its lock before it gives up and is retried. */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /** How many times a step that met a lock timeout or deadlock is tried again. */
    public int lockRetries() {
        return lockRetries;
    }

    public Duration retryBaseDelay() {
        return retryBaseDelay;
    }

    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    /** How long a run waits for another run on the same schema to finish. */
    public Duration runLockWait() {
        return runLockWait;
    }

    /** Rows per backfill batch. */
    public int batchSize() {
        return batchSize;
    }

    /** The statement timeout of each backfill batch. */
    public Duration batchStatementTimeout() {
        return batchStatementTimeout;
    }

    /**
     * How recent an application instance's last heartbeat must be for contract to count it as running. Longer
     * than the instances' heartbeat interval, or contract takes a live instance for a stopped one.
     */
    public Duration instanceTtl() {
        return instanceTtl;
    }

    /** Called with a step's id right after it committed; tests use it to stop a run between any two steps. */
    public Consumer<String> afterStep() {
        return afterStep;
    }

    @Override
    public String toString() {
        return "TandemConfig[schema=" + schema + ", stateSchema=" + stateSchema + ", lockTimeout=" + lockTimeout
                + ", lockRetries=" + lockRetries + ", runLockWait=" + runLockWait + ", batchSize=" + batchSize
                + ", instanceTtl=" + instanceTtl + "]";
    }

    public static final class Builder {
        private String schema = "public";
        private String stateSchema = "tandem";
        private Duration lockTimeout = Duration.ofMillis(500);
        private int lockRetries = 8;
        private Duration retryBaseDelay = Duration.ofMillis(100);
        private Duration retryMaxDelay = Duration.ofSeconds(5);
        private Duration runLockWait = Duration.ofSeconds(30);
        private int batchSize = 1000;
        private Duration batchStatementTimeout = Duration.ofSeconds(60);
        private Duration instanceTtl = Duration.ofSeconds(60);
        private Consumer<String> afterStep = step -> { };

        private Builder() {
        }

        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        public Builder stateSchema(String stateSchema) {
            this.stateSchema = stateSchema;
            return this;
        }

        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
            return this;
        }

        public Builder lockRetries(int lockRetries) {
            this.lockRetries = lockRetries;
            return this;
        }

        public Builder retryDelays(Duration base, Duration max) {
            this.retryBaseDelay = base;
            this.retryMaxDelay = max;
            return this;
        }

        public Builder runLockWait(Duration runLockWait) {
            this.runLockWait = runLockWait;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder batchStatementTimeout(Duration timeout) {
            this.batchStatementTimeout = timeout;
            return this;
        }

        public Builder instanceTtl(Duration instanceTtl) {
            this.instanceTtl = instanceTtl;
            return this;
        }

        public Builder afterStep(Consumer<String> afterStep) {
            this.afterStep = afterStep;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is wrong */
        public TandemConfig build() {
            requireName("schema", schema);
            requireName("state schema", stateSchema);
            if (schema.equals(stateSchema)) {
                throw new IllegalArgumentException("the state schema must differ from the schema migrations change ("
                        + schema + ")");
            }
            requirePositive("lock timeout", lockTimeout);
            requirePositive("retry base delay", retryBaseDelay);
            requirePositive("retry max delay", retryMaxDelay);
            if (retryMaxDelay.compareTo(retryBaseDelay) < 0) {
                throw new IllegalArgumentException("retry max delay (" + retryMaxDelay + ") is shorter than the base "
                        + "delay (" + retryBaseDelay + ")");
            }
            if (lockRetries < 0 || lockRetries > 1000) {
                throw new IllegalArgumentException("lock retries must be between 0 and 1000, not " + lockRetries);
            }
            if (runLockWait == null || runLockWait.isNegative()) {
                throw new IllegalArgumentException("run lock wait must be zero or more");
            }
            if (batchSize < 1 || batchSize > 1_000_000) {
                throw new IllegalArgumentException("batch size must be between 1 and 1000000, not " + batchSize);
            }
            requirePositive("batch statement timeout", batchStatementTimeout);
            requirePositive("instance TTL", instanceTtl);
            Objects.requireNonNull(afterStep, "afterStep");
            return new TandemConfig(this);
        }

        private static void requireName(String what, String value) {
            String problem = Identifier.problem(value);
            if (problem != null) {
                throw new IllegalArgumentException(what + " '" + value + "' " + problem);
            }
        }

        private static void requirePositive(String what, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive, not " + value);
            }
        }
    }
}
