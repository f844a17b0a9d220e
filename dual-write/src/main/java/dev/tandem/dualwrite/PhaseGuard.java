package dev.tandem.dualwrite;

import dev.tandem.state.DatabaseKind;
import dev.tandem.state.InstanceRegistry;
import dev.tandem.state.InstanceRow;
import dev.tandem.state.Jdbc;
import dev.tandem.state.MigrationRow;
import dev.tandem.state.StateReads;
import dev.tandem.state.StateSchema;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The start-up check of an application built for one schema version. {@link #check(DataSource)} asks the
 * database whether it offers that version and how to reach it, and fails fast otherwise;
 * {@link #start(DataSource)} checks and then keeps the instance in Tandem's instance registry until closed, so
 * {@code migrate contract} does not remove a version that instances still run on.
 *
 * <pre>{@code
 * PhaseGuard guard = PhaseGuard.builder("add_display_name").build();
 * SchemaVersion version = guard.check(dataSource);   // throws PhaseGuardException, or tells how to reach it
 * }</pre>
 *
 * The new version of a migration is refused until its backfill has finished, unless the application accepts an
 * incomplete backfill ({@link Builder#acceptIncompleteBackfill(boolean)}).
 *
 * <p>Works on PostgreSQL and on MariaDB and MySQL, told apart by the driver's product name or else the server's
 * {@code SELECT VERSION()}, whichever driver connects.
 */
public final class PhaseGuard {
    private final String version;
    private final String schema;
    private final String stateSchema;
    private final Duration timeout;
    private final Duration heartbeatInterval;
    private final String instanceId;
    private final String host;
    private final boolean acceptIncompleteBackfill;
    private final Listeners listeners;

    private PhaseGuard(Builder b, String instanceId, String host) {
        this.version = b.version;
        this.schema = b.schema;
        this.stateSchema = b.stateSchema;
        this.timeout = b.timeout;
        this.heartbeatInterval = b.heartbeatInterval;
        this.instanceId = instanceId;
        this.host = host;
        this.acceptIncompleteBackfill = b.acceptIncompleteBackfill;
        this.listeners = new Listeners(b.listeners);
    }

    /**
     * @param version the migration the application was built for (its name, not its file), or
     *                {@link SchemaVersion#BASE} for an application built before any migration
     */
    public static Builder builder(String version) {
        return new Builder(version);
    }

    /** The version the application was built for. */
    public String version() {
        return version;
    }

    /**
     * Reads Tandem's state and returns how to reach the application's version. Writes nothing.
     *
     * @throws PhaseGuardException when the database does not offer the version, or did not answer within the
     *                             time limit
     */
    public SchemaVersion check(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        SchemaVersion resolved = reportingRefusals(() -> TimeLimit.run(timeout, description(), version, () -> {
            try (Connection c = dataSource.getConnection()) {
                StateSchema state = state(c);
                return Jdbc.inTransaction(c, () -> resolve(state, c));
            }
        }));
        listeners.accepted(resolved);
        return resolved;
    }

    /**
     * Checks like {@link #check(DataSource)}, then records this instance in the registry and refreshes its
     * heartbeat from a daemon thread every {@link Builder#heartbeatInterval(Duration) interval} until the
     * returned registration is closed. The heartbeats use connections of {@code dataSource}. Check and
     * registration happen under the registry lock that contract takes too: either contract sees this instance,
     * or this instance sees that contract has begun.
     */
    public InstanceRegistration start(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        Registered registered = reportingRefusals(() -> TimeLimit.run(timeout, description(), version, () -> {
            try (Connection c = dataSource.getConnection()) {
                StateSchema state = state(c);
                InstanceRegistry registry = new InstanceRegistry(state);
                // apart from the registration: MariaDB commits DDL on the spot, which would end the lock's
                // transaction; checked first, so that a refused start creates nothing; looked for first, so that
                // an application allowed to write rows but not to create tables works once the registry exists
                Jdbc.inTransaction(c, () -> {
                    resolve(state, c);
                    if (!state.has(c, StateSchema.INSTANCES)) {
                        state.createRegistry(c);
                    }
                    return null;
                });
                return Jdbc.readCommitted(c, () -> {
                    registry.lockShared(c);
                    SchemaVersion resolved = resolve(state, c);
                    return new Registered(resolved, registry.heartbeat(c, new InstanceRow(instanceId, schema, version,
                            host, null, null)), registry);
                });
            }
        }));
        listeners.accepted(registered.version());
        listeners.heartbeat(instanceId, true);
        return new InstanceRegistration(registered.version(), registered.row(), dataSource, registered.registry(),
                heartbeatInterval, timeout, listeners);
    }

    private <T> T reportingRefusals(Supplier<T> decision) {
        try {
            return decision.get();
        } catch (PhaseGuardException e) {
            listeners.refused(e);
            throw e;
        }
    }

    /** Which phase a migration is in, read from the same state tables as the guard, within its time limit. */
    public PhaseView phases() {
        return new PhaseView(schema, this::state, timeout, listeners);
    }

    private record Registered(SchemaVersion version, InstanceRow row, InstanceRegistry registry) {
    }

    private SchemaVersion resolve(StateSchema state, Connection c) throws SQLException {
        StateReads reads = new StateReads(state);
        List<MigrationRow> migrations = reads.migrations(c, schema);
        List<String> schemas = new ArrayList<>();
        schemas.add(schema);
        migrations.forEach(m -> schemas.add(m.versionSchema()));
        return new VersionRules(schema, state.kind() == DatabaseKind.MARIADB, migrations,
                reads.existingSchemas(c, schemas), acceptIncompleteBackfill).resolve(version);
    }

    private StateSchema state(Connection c) throws SQLException {
        return StateSchema.on(c, stateSchema, (int) Math.max(1, (timeout.toMillis() + 999) / 1000));
    }

    private String description() {
        return "checking schema version '" + version + "' of schema '" + schema + "'";
    }

    @Override
    public String toString() {
        return "PhaseGuard[version=" + version + ", schema=" + schema + ", stateSchema=" + stateSchema + ", timeout="
                + timeout + ", heartbeatInterval=" + heartbeatInterval + ", instanceId=" + instanceId + ", host="
                + host + ", acceptIncompleteBackfill=" + acceptIncompleteBackfill + "]";
    }

    /** Settings of a guard; {@link #build()} checks them all and throws on the first that is wrong. */
    public static final class Builder {
        private final String version;
        private String schema = "public";
        private String stateSchema = "tandem";
        private Duration timeout = Duration.ofSeconds(10);
        private Duration heartbeatInterval = Duration.ofSeconds(10);
        private String instanceId;
        private String host;
        private boolean acceptIncompleteBackfill;
        private final List<GuardListener> listeners = new ArrayList<>();

        private Builder(String version) {
            this.version = version;
        }

        /**
         * The schema whose tables the migrations change; default {@code public}. On MariaDB and MySQL, the
         * database of those tables: always set it there.
         */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** The schema (on MariaDB and MySQL: the database) of Tandem's state tables; default {@code tandem}. */
        public Builder stateSchema(String stateSchema) {
            this.stateSchema = stateSchema;
            return this;
        }

        /** How long a check (or start) may take in all, connecting included; default 10 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * How often a started instance refreshes its heartbeat; default 10 s. Keep it well below the
         * coordinator's instance TTL (default 60 s), or contract takes a live instance for a stopped one.
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /** The instance's id in the registry; default a random UUID. */
        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        /**
         * The instance's name, as the registry, {@code migrate status} and refusals show it; default the HOSTNAME
         * variable (a pod's name) or else the local host's name, with the process id: {@code vm:4711}, so that two
         * instances on one machine are told apart.
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Whether the new version of a migration may start before its backfill has finished; default false, and the
         * guard refuses it. Rows the backfill has not reached yet show the new version NULL in its new columns, and
         * the database refuses the new version's writes that depend on them (docs/operations.md): accept it only
         * when the application copes with both until the backfill ends.
         */
        public Builder acceptIncompleteBackfill(boolean accept) {
            this.acceptIncompleteBackfill = accept;
            return this;
        }

        /**
         * Adds a listener, told of the guard's decisions, its instance's heartbeats and the writes and drift checks of
         * the {@link DualWriter}s of its {@link PhaseGuard#phases() phase view}; listeners are told in the order added.
         */
        public Builder listener(GuardListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is wrong */
        public PhaseGuard build() {
            requireText("version", version);
            requireText("schema", schema);
            requireText("state schema", stateSchema);
            if (schema.equals(stateSchema)) {
                throw new IllegalArgumentException("the state schema must differ from the schema migrations change ("
                        + schema + ")");
            }
            requirePositive("timeout", timeout);
            requirePositive("heartbeat interval", heartbeatInterval);
            String id = instanceId == null ? UUID.randomUUID().toString() : instanceId;
            requireText("instance id", id);
            String hostName = host == null ? localHost() : host;
            requireText("host", hostName);
            return new PhaseGuard(this, id, hostName);
        }

        private static String localHost() {
            return hostName() + ":" + ProcessHandle.current().pid();
        }

        private static String hostName() {
            String name = System.getenv("HOSTNAME");
            if (name != null && !name.isBlank()) {
                return name;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "unknown";
            }
        }

        private static void requireText(String what, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be empty");
            }
        }

        private static void requirePositive(String what, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive, not " + value);
            }
        }
    }
}
