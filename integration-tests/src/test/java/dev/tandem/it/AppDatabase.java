package dev.tandem.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.SchemaVersion;
import dev.tandem.state.StateLocks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A fresh database with the example shop ({@code shop.sql}, {@code shop-mariadb.sql}) that a test runs
 * application instances on, PostgreSQL or MariaDB: what the tests of the application side need to know about
 * the database they run on.
 */
interface AppDatabase extends AutoCloseable {

    /** The servers the application side is tested on. */
    enum Kind {
        POSTGRESQL, MARIADB;

        AppDatabase create() {
            return this == POSTGRESQL ? new Postgres(TestDatabase.create()) : new MariaDb(MariaDbTestDatabase.create());
        }
    }

    /** The schema (MariaDB: database) of the shop's tables, as the guard and the coordinator are told it. */
    String schema();

    /** The JDBC URL of this database (MariaDB: of the shop's database), user included. */
    String url();

    /** Tandem on this database's schema, with the test's other settings. */
    Tandem tandem(TandemConfig.Builder config);

    default Tandem tandem() {
        return tandem(TandemConfig.builder());
    }

    /** A pool for one application instance, on no version yet: the guard says which. */
    HikariDataSource pool();

    /** A pool of {@code size} connections pinned to version {@code name}, as an instance of that build uses. */
    HikariDataSource pool(String name, int size);

    /** Statements and queries run as one version would. */
    StatementsAsVersion statements();

    Connection connect() throws SQLException;

    /** The migration of this name, as written for this database. */
    Migration migration(String name);

    /** The version {@code name} as the guard returns it here. */
    SchemaVersion version(String name);

    /** Where a connection resolves unqualified names: its search_path, or its database. */
    String whereSql();

    /** What {@link #whereSql()} answers on a connection of version {@code name}. */
    String where(String name);

    String value(String sql);

    /** Records an instance that crashed {@code secondsAgo} seconds after its last heartbeat. */
    void insertCrashedInstance(String host, String version, int secondsAgo);

    /** How many sessions wait for the instance registry's lock, which contract and rollback take exclusively. */
    String registryLockWaitsSql();

    /** Takes the instance registry's lock as contract and rollback do, until the transaction ends. */
    String lockRegistrySql();

    @Override
    void close();

    /** The recorded phase of migration {@code name} of this database's schema. */
    default String phase(String name) {
        return value("SELECT phase FROM tandem.migrations WHERE target_schema = '" + schema() + "' AND name = '"
                + name + "'");
    }

    final class Postgres implements AppDatabase {
        private final TestDatabase db;

        Postgres(TestDatabase db) {
            this.db = db;
            db.execute(Examples.shop());
        }

        @Override
        public String schema() {
            return "public";
        }

        @Override
        public String url() {
            return db.url();
        }

        @Override
        public Tandem tandem(TandemConfig.Builder config) {
            return db.tandem(config.build());
        }

        @Override
        public HikariDataSource pool() {
            return db.pool(null, 2);
        }

        @Override
        public HikariDataSource pool(String name, int size) {
            return db.pool(String.join(", ", version(name).searchPath()), size);
        }

        @Override
        public StatementsAsVersion statements() {
            return db;
        }

        @Override
        public Connection connect() throws SQLException {
            return db.connect();
        }

        @Override
        public Migration migration(String name) {
            return Examples.migration(name + ".yaml");
        }

        @Override
        public SchemaVersion version(String name) {
            return new SchemaVersion(name, "public", SchemaVersion.BASE.equals(name) ? List.of("public")
                    : List.of("public_" + name, "public"));
        }

        @Override
        public String whereSql() {
            return "SELECT array_to_string(current_schemas(false), ',')";
        }

        @Override
        public String where(String name) {
            return String.join(",", version(name).searchPath());
        }

        @Override
        public String value(String sql) {
            return db.value(sql);
        }

        @Override
        public void insertCrashedInstance(String host, String version, int secondsAgo) {
            db.execute("INSERT INTO tandem.instances (instance_id, target_schema, version, host, started_at, last_seen) "
                    + "VALUES ('" + host + "', 'public', '" + version + "', '" + host + "', now() - interval "
                    + "'1 hour', now() - " + secondsAgo + " * interval '1 second')");
        }

        @Override
        public String registryLockWaitsSql() {
            return "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted";
        }

        @Override
        public String lockRegistrySql() {
            return "SELECT pg_advisory_xact_lock(" + StateLocks.POSTGRES_CLASS + ", " + StateLocks.POSTGRES_REGISTRY + ")";
        }

        @Override
        public void close() {
            db.close();
        }
    }

    final class MariaDb implements AppDatabase {
        private final MariaDbTestDatabase db;

        MariaDb(MariaDbTestDatabase db) {
            this.db = db;
            db.execute(Examples.schema("shop-mariadb.sql"));
        }

        @Override
        public String schema() {
            return db.name();
        }

        @Override
        public String url() {
            return db.url(db.name());
        }

        @Override
        public Tandem tandem(TandemConfig.Builder config) {
            return db.tandem(config.schema(db.name()));
        }

        @Override
        public HikariDataSource pool() {
            return db.pool(null, 2);
        }

        @Override
        public HikariDataSource pool(String name, int size) {
            return db.pool(SchemaVersion.BASE.equals(name) ? null : version(name).catalog(), size);
        }

        @Override
        public StatementsAsVersion statements() {
            return db;
        }

        @Override
        public Connection connect() throws SQLException {
            return db.connect();
        }

        /** MariaDB's own file where the migration differs, else the PostgreSQL one. */
        @Override
        public Migration migration(String name) {
            String file = name + ".yaml";
            try (InputStream own = AppDatabase.class.getClassLoader().getResourceAsStream("mariadb/" + file)) {
                return own == null ? Examples.migration(file) : new MigrationParser().parse(file, own.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public SchemaVersion version(String name) {
            return SchemaVersion.inDatabase(name, db.name(), SchemaVersion.BASE.equals(name) ? db.name()
                    : db.name() + "__" + name);
        }

        @Override
        public String whereSql() {
            return "SELECT DATABASE()";
        }

        @Override
        public String where(String name) {
            return version(name).catalog();
        }

        @Override
        public String value(String sql) {
            return db.value(sql);
        }

        @Override
        public void insertCrashedInstance(String host, String version, int secondsAgo) {
            db.execute("INSERT INTO tandem.instances (instance_id, target_schema, version, host, started_at, last_seen) "
                    + "VALUES ('" + db.name() + "/" + host + "', '" + db.name() + "', '" + version + "', '" + host
                    + "', NOW(6) - INTERVAL 1 HOUR, NOW(6) - INTERVAL " + secondsAgo + " SECOND)");
        }

        /**
         * The server is shared: only this database's sessions count. A statement with a query timeout arrives as
         * {@code SET STATEMENT max_statement_time=… FOR SELECT …}.
         */
        @Override
        public String registryLockWaitsSql() {
            return "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '" + db.name() + "' AND INFO LIKE "
                    + "'%SELECT version FROM `tandem`.`layout`%' AND ID <> CONNECTION_ID()";
        }

        @Override
        public String lockRegistrySql() {
            return "SELECT version FROM tandem.layout FOR UPDATE";
        }

        @Override
        public void close() {
            db.close();
        }
    }
}
