package dev.tandem.coordinator;

import dev.tandem.coordinator.internal.sql.Identifier;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * How Tandem runs against one database schema. Built with {@link #builder()}, checked as a whole by
 * {@link Builder#build()}, immutable afterwards. Values out of range are errors, never quietly adjusted.
 */
public final class TandemConfig {
    private final String schema;
    private final String stateSchema;
    private final Duration lockTimeout;
    private final int lockRetries;
    private final Duration lockHoldTimeout;
    private final Duration retryBaseDelay;
    private final Duration retryMaxDelay;
    private final Duration runLockWait;
    private final int batchSize;
    private final Duration batchStatementTimeout;
    private final int minBatchSize;
    private final int maxBatchSize;
    private final Duration targetBatchDuration;
    private final int workers;
    private final long rangeRows;
    private final Duration leaseDuration;
    private final long maxRate;
    private final int maxActiveSessions;
    private final Duration maxReplicationLag;
    private final List<DataSource> replicas;
    private final Duration throttleInterval;
    private final Duration instanceTtl;
    private final Consumer<String> afterStep;
    private final StepListener stepListener;

    private TandemConfig(Builder b) {
        this.schema = b.schema;
        this.stateSchema = b.stateSchema;
        this.lockTimeout = b.lockTimeout;
        this.lockRetries = b.lockRetries;
        this.lockHoldTimeout = b.lockHoldTimeout;
        this.retryBaseDelay = b.retryBaseDelay;
        this.retryMaxDelay = b.retryMaxDelay;
        this.runLockWait = b.runLockWait;
        this.batchSize = b.batchSize;
        this.batchStatementTimeout = b.batchStatementTimeout;
        this.minBatchSize = b.minBatchSize;
        this.maxBatchSize = b.maxBatchSize;
        this.targetBatchDuration = b.targetBatchDuration;
        this.workers = b.workers;
        this.rangeRows = b.rangeRows;
        this.leaseDuration = b.leaseDuration;
        this.maxRate = b.maxRate;
        this.maxActiveSessions = b.maxActiveSessions;
        this.maxReplicationLag = b.maxReplicationLag;
        this.replicas = b.replicas;
        this.throttleInterval = b.throttleInterval;
        this.instanceTtl = b.instanceTtl;
        this.afterStep = b.afterStep;
        this.stepListener = b.stepListener;
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

    /**
     * How long a transaction of Tandem (a phase's transaction, a backfill batch, the start of contract or
     * rollback) may wait for its client's next statement while holding locks: when its process is paused or
     * cut off for longer, the server ends the session, which rolls the transaction back and releases the locks.
     * Whole seconds on MariaDB (rounded up).
     */
    public Duration lockHoldTimeout() {
        return lockHoldTimeout;
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

    /** Rows of a worker's first backfill batch; later batches adapt toward {@link #targetBatchDuration()}. */
    public int batchSize() {
        return batchSize;
    }

    /** The statement timeout of each backfill batch; a batch that meets it is retried at half the size. */
    public Duration batchStatementTimeout() {
        return batchStatementTimeout;
    }

    /** The fewest rows a backfill batch shrinks to. */
    public int minBatchSize() {
        return minBatchSize;
    }

    /** The most rows a backfill batch grows to. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** How long one backfill batch should take: short enough that rows it locks are not held for long. */
    public Duration targetBatchDuration() {
        return targetBatchDuration;
    }

    /** Backfill workers this process runs at once, each on its own connection. */
    public int workers() {
        return workers;
    }

    /** About how many rows one key range (the unit a worker leases) holds when a table's ranges are planned. */
    public long rangeRows() {
        return rangeRows;
    }

    /** How long a worker's lease on a key range lasts unless renewed; an expired lease is taken over. */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** The most rows per second the backfill of this process fills; 0 for no limit. */
    public long maxRate() {
        return maxRate;
    }

    /** The backfill pauses while more sessions than this are active on the server; 0 for no limit. */
    public int maxActiveSessions() {
        return maxActiveSessions;
    }

    /** The backfill pauses while a replica's replay lag exceeds this; zero for no limit. */
    public Duration maxReplicationLag() {
        return maxReplicationLag;
    }

    /**
     * The replicas whose lag {@link #maxReplicationLag()} limits, each read on its own connection; empty to rely
     * on what the primary knows of its replicas (PostgreSQL only: MariaDB needs them named).
     */
    public List<DataSource> replicas() {
        return replicas;
    }

    /** How long a paused backfill waits before it looks at sessions and replication lag again. */
    public Duration throttleInterval() {
        return throttleInterval;
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

    /** Told when steps start and end and when a statement meets a lock conflict; for metrics. */
    public StepListener stepListener() {
        return stepListener;
    }

    @Override
    public String toString() {
        return "TandemConfig[schema=" + schema + ", stateSchema=" + stateSchema + ", lockTimeout=" + lockTimeout
                + ", lockRetries=" + lockRetries + ", lockHoldTimeout=" + lockHoldTimeout + ", runLockWait=" + runLockWait + ", batchSize=" + batchSize
                + " (" + minBatchSize + ".." + maxBatchSize + ", target " + targetBatchDuration + "), workers=" + workers
                + ", maxRate=" + maxRate + ", maxActiveSessions=" + maxActiveSessions + ", maxReplicationLag="
                + maxReplicationLag + ", replicas=" + replicas.size() + ", instanceTtl=" + instanceTtl + "]";
    }

    public static final class Builder {
        private String schema = "public";
        private String stateSchema = "tandem";
        private Duration lockTimeout = Duration.ofMillis(500);
        private int lockRetries = 8;
        private Duration lockHoldTimeout = Duration.ofSeconds(1);
        private Duration retryBaseDelay = Duration.ofMillis(100);
        private Duration retryMaxDelay = Duration.ofSeconds(5);
        private Duration runLockWait = Duration.ofSeconds(30);
        private int batchSize = 1000;
        private Duration batchStatementTimeout = Duration.ofSeconds(30);
        private int minBatchSize = 10;
        private int maxBatchSize = 200_000;
        private Duration targetBatchDuration = Duration.ofMillis(500);
        private int workers = 1;
        private long rangeRows = 100_000;
        private Duration leaseDuration = Duration.ofSeconds(60);
        private long maxRate = 0;
        private int maxActiveSessions = 0;
        private Duration maxReplicationLag = Duration.ZERO;
        private List<DataSource> replicas = List.of();
        private Duration throttleInterval = Duration.ofSeconds(1);
        private Duration instanceTtl = Duration.ofSeconds(60);
        private Consumer<String> afterStep = step -> { };
        private StepListener stepListener = StepListener.NONE;

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

        public Builder lockHoldTimeout(Duration lockHoldTimeout) {
            this.lockHoldTimeout = lockHoldTimeout;
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

        public Builder batchSizeBounds(int min, int max) {
            this.minBatchSize = min;
            this.maxBatchSize = max;
            return this;
        }

        public Builder targetBatchDuration(Duration target) {
            this.targetBatchDuration = target;
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        public Builder rangeRows(long rangeRows) {
            this.rangeRows = rangeRows;
            return this;
        }

        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
            return this;
        }

        public Builder maxRate(long rowsPerSecond) {
            this.maxRate = rowsPerSecond;
            return this;
        }

        public Builder maxActiveSessions(int sessions) {
            this.maxActiveSessions = sessions;
            return this;
        }

        public Builder maxReplicationLag(Duration lag) {
            this.maxReplicationLag = lag;
            return this;
        }

        public Builder replicas(List<DataSource> replicas) {
            this.replicas = List.copyOf(replicas);
            return this;
        }

        public Builder throttleInterval(Duration interval) {
            this.throttleInterval = interval;
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

        public Builder stepListener(StepListener stepListener) {
            this.stepListener = stepListener;
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
            requirePositive("lock hold timeout", lockHoldTimeout);
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
            if (minBatchSize < 1 || maxBatchSize > 1_000_000 || minBatchSize > maxBatchSize) {
                throw new IllegalArgumentException("batch size bounds must satisfy 1 <= min <= max <= 1000000, not "
                        + minBatchSize + ".." + maxBatchSize);
            }
            if (batchSize < minBatchSize || batchSize > maxBatchSize) {
                throw new IllegalArgumentException("batch size " + batchSize + " is outside its bounds "
                        + minBatchSize + ".." + maxBatchSize);
            }
            requirePositive("target batch duration", targetBatchDuration);
            if (workers < 1 || workers > 64) {
                throw new IllegalArgumentException("workers must be between 1 and 64, not " + workers);
            }
            if (rangeRows < 1) {
                throw new IllegalArgumentException("range rows must be positive, not " + rangeRows);
            }
            requirePositive("lease duration", leaseDuration);
            if (leaseDuration.compareTo(batchStatementTimeout) <= 0) {
                throw new IllegalArgumentException("the lease duration (" + leaseDuration + ") must be longer than the "
                        + "batch statement timeout (" + batchStatementTimeout + "), or a slow batch loses its lease");
            }
            if (maxRate < 0) {
                throw new IllegalArgumentException("max rate must be zero (no limit) or more, not " + maxRate);
            }
            if (maxActiveSessions < 0) {
                throw new IllegalArgumentException("max active sessions must be zero (no limit) or more, not "
                        + maxActiveSessions);
            }
            if (maxReplicationLag == null || maxReplicationLag.isNegative()) {
                throw new IllegalArgumentException("max replication lag must be zero (no limit) or more");
            }
            requirePositive("throttle interval", throttleInterval);
            requirePositive("instance TTL", instanceTtl);
            Objects.requireNonNull(afterStep, "afterStep");
            Objects.requireNonNull(stepListener, "stepListener");
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
