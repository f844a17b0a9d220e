package dev.tandem.coordinator.verify;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.verify.MigrationChecks;
import dev.tandem.coordinator.migration.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code migrate verify} as a library call: what a verification starts from and checks against, built once,
 * then {@link #verify} on migration files. Without a scratch server it only lints.
 *
 * <pre>{@code
 * VerifyReport report = Verification.builder()
 *         .schemaSql(Path.of("schema.sql"))
 *         .scratchServer(() -> ScratchServer.on(DatabaseLogin.fromEnvironment(url)))
 *         .build()
 *         .verify(List.of(Path.of("db/migrations")));
 * }</pre>
 */
public final class Verification {
    private final Path schemaSql;
    private final List<Path> applied;
    private final Path oldQueries;
    private final Path newQueries;
    private final List<Path> oldCaptures;
    private final List<Path> newCaptures;
    private final DatabaseLogin oldCaptureDatabase;
    private final DatabaseLogin pendingOn;
    private final Supplier<ScratchServer> scratchServer;
    private final boolean isolated;
    private final Database database;

    private Verification(Builder builder) {
        schemaSql = builder.schemaSql;
        applied = List.copyOf(builder.applied);
        oldQueries = builder.oldQueries;
        newQueries = builder.newQueries;
        oldCaptures = List.copyOf(builder.oldCaptures);
        newCaptures = List.copyOf(builder.newCaptures);
        oldCaptureDatabase = builder.oldCaptureDatabase;
        pendingOn = builder.pendingOn;
        scratchServer = builder.scratchServer;
        isolated = builder.isolated;
        database = builder.database;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Lints each file and, with a scratch server, runs each migration's round trip: migration files (.yaml,
     * .yml, .json), plain .sql scripts (lint only) and directories of them, in name order.
     *
     * @throws InvalidMigrationException when a path is missing, an input cannot be read or the setup fails
     * @throws dev.tandem.coordinator.DatabaseException when a database verify needs cannot be used
     */
    public VerifyReport verify(List<Path> paths) {
        return MigrationChecks.run(this, paths);
    }

    /** SQL that builds the schema the migrations start from; null for an empty database. */
    public Path schemaSql() {
        return schemaSql;
    }

    /** Migrations already deployed, applied in order after {@link #schemaSql()}. */
    public List<Path> applied() {
        return applied;
    }

    /** The running version's statements: a .sql file or a directory of them; null for none. */
    public Path oldQueries() {
        return oldQueries;
    }

    /** The new version's statements: a .sql file or a directory of them; null for none. */
    public Path newQueries() {
        return newQueries;
    }

    /** pg_stat_statements exports (CSV with a header, or .json) of the running version. */
    public List<Path> oldCaptures() {
        return oldCaptures;
    }

    /** pg_stat_statements exports of the new version. */
    public List<Path> newCaptures() {
        return newCaptures;
    }

    /** A database whose pg_stat_statements holds the running version's statements, read only; null for none. */
    public DatabaseLogin oldCaptureDatabase() {
        return oldCaptureDatabase;
    }

    /** A database whose Tandem state says which migrations are deployed already; null to verify all. */
    public DatabaseLogin pendingOn() {
        return pendingOn;
    }

    /** Starts the server for the round trips; null when verify only lints. */
    public Supplier<ScratchServer> scratchServer() {
        return scratchServer;
    }

    /** Whether each migration gets a scratch database of its own instead of starting from the ones before it. */
    public boolean isolated() {
        return isolated;
    }

    /** Whose rules lint reads raw SQL with; null: PostgreSQL's, or MariaDB's for a file that runs on it only. */
    public Database database() {
        return database;
    }

    public static final class Builder {
        private Path schemaSql;
        private final List<Path> applied = new ArrayList<>();
        private Path oldQueries;
        private Path newQueries;
        private final List<Path> oldCaptures = new ArrayList<>();
        private final List<Path> newCaptures = new ArrayList<>();
        private DatabaseLogin oldCaptureDatabase;
        private DatabaseLogin pendingOn;
        private Supplier<ScratchServer> scratchServer;
        private boolean isolated;
        private Database database;

        private Builder() {
        }

        public Builder schemaSql(Path file) {
            schemaSql = file;
            return this;
        }

        /** Adds migrations already deployed, applied in this order after the schema SQL. */
        public Builder applied(List<Path> files) {
            applied.addAll(files);
            return this;
        }

        public Builder oldQueries(Path fileOrDirectory) {
            oldQueries = fileOrDirectory;
            return this;
        }

        public Builder newQueries(Path fileOrDirectory) {
            newQueries = fileOrDirectory;
            return this;
        }

        public Builder oldCaptures(List<Path> files) {
            oldCaptures.addAll(files);
            return this;
        }

        public Builder newCaptures(List<Path> files) {
            newCaptures.addAll(files);
            return this;
        }

        public Builder oldCaptureDatabase(DatabaseLogin database) {
            oldCaptureDatabase = database;
            return this;
        }

        public Builder pendingOn(DatabaseLogin database) {
            pendingOn = database;
            return this;
        }

        /** Started only when there is a migration to run, and closed at the end; null to lint only. */
        public Builder scratchServer(Supplier<ScratchServer> server) {
            scratchServer = server;
            return this;
        }

        public Builder isolated(boolean eachOnItsOwnDatabase) {
            isolated = eachOnItsOwnDatabase;
            return this;
        }

        /** The database the migrations are for, whose rules lint reads raw SQL with. */
        public Builder database(Database database) {
            this.database = database;
            return this;
        }

        public Verification build() {
            return new Verification(this);
        }
    }
}
