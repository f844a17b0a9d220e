package dev.tandem.coordinator.internal.verify;

import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbDialect;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbScratch;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresCatalogDump;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresDialect;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresScratch;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How verify works on a scratch database of each kind. A version is a list of schemas: on PostgreSQL its
 * search_path (the version schema, then the tables'), on MariaDB the one database its sessions use (the
 * tables' own, or the version database of views).
 */
enum ScratchDialect {
    POSTGRESQL(RoundTrip.DOUBLE_QUOTED) {
        @Override
        TandemConfig config(Connection connection) {
            return TandemConfig.builder().build();
        }

        @Override
        Dialect dialect(Connection connection) throws SQLException {
            return new PostgresDialect(connection.getMetaData().getDatabaseMajorVersion());
        }

        @Override
        List<String> version(TandemConfig config, String versionSchema) {
            return versionSchema == null ? List.of(config.schema()) : List.of(versionSchema, config.schema());
        }

        @Override
        String describe(List<String> version) {
            return "search_path " + String.join(", ", version);
        }

        @Override
        void runRolledBack(Connection connection, List<String> version, String sql) throws SQLException {
            PostgresScratch.runRolledBack(connection, version, sql);
        }

        @Override
        void prepare(Connection connection, List<String> version, String sql) throws SQLException {
            PostgresScratch.prepareRolledBack(connection, version, sql);
        }

        @Override
        List<String> dump(Connection connection, TandemConfig config) throws SQLException {
            return PostgresCatalogDump.dump(connection, config.stateSchema());
        }

        @Override
        boolean sameBaseType(Connection connection, String declared, String actual) throws SQLException {
            return PostgresScratch.sameBaseType(connection, declared, actual);
        }
    },

    /**
     * Tandem's state goes to a database of the scratch database's own, dropped with it. MariaDB quotes names in
     * its messages with single quotes, Tandem's own messages with double quotes.
     */
    MARIADB(Pattern.compile("([\"'])([^\"']+)\\1")) {
        @Override
        TandemConfig config(Connection connection) throws SQLException {
            String database = connection.getCatalog();
            return TandemConfig.builder().schema(database).stateSchema(MariaDbScratch.stateDatabase(database)).build();
        }

        @Override
        Dialect dialect(Connection connection) throws SQLException {
            return MariaDbDialect.forSession(connection);
        }

        @Override
        List<String> version(TandemConfig config, String versionSchema) {
            return List.of(versionSchema == null ? config.schema() : versionSchema);
        }

        @Override
        String describe(List<String> version) {
            return "database " + version.get(0);
        }

        @Override
        void runRolledBack(Connection connection, List<String> version, String sql) throws SQLException {
            MariaDbScratch.runRolledBack(connection, version.get(0), sql);
        }

        @Override
        void prepare(Connection connection, List<String> version, String sql) throws SQLException {
            MariaDbScratch.prepareRolledBack(connection, version.get(0), sql);
        }

        @Override
        List<String> dump(Connection connection, TandemConfig config) throws SQLException {
            return MariaDbScratch.dump(connection, config.schema());
        }

        @Override
        boolean sameBaseType(Connection connection, String declared, String actual) {
            return MariaDbScratch.sameBaseType(declared, actual);
        }
    };

    private final Pattern quotedName;

    ScratchDialect(Pattern quotedName) {
        this.quotedName = quotedName;
    }

    static ScratchDialect of(Connection connection) throws SQLException {
        return MariaDbDialect.isMariaDb(connection) ? MARIADB : POSTGRESQL;
    }

    /**
     * How the database's error messages quote a name, the name in the last group (the culprit is the operation
     * that names it).
     */
    Pattern quotedName() {
        return quotedName;
    }

    /** Tandem's configuration on a scratch database: the schema of its tables and where its state goes. */
    abstract TandemConfig config(Connection connection) throws SQLException;

    abstract Dialect dialect(Connection connection) throws SQLException;

    /** The version that uses {@code versionSchema}; null for the tables' own schema (no migration yet). */
    abstract List<String> version(TandemConfig config, String versionSchema);

    /** A version as findings name it. */
    abstract String describe(List<String> version);

    /** Runs an application's statement as {@code version} and rolls it back. */
    abstract void runRolledBack(Connection connection, List<String> version, String sql) throws SQLException;

    /** Prepares a captured statement (with parameters) as {@code version}, without running it. */
    abstract void prepare(Connection connection, List<String> version, String sql) throws SQLException;

    /** Everything in the catalog a migration may touch, as sorted lines, Tandem's state left out. */
    abstract List<String> dump(Connection connection, TandemConfig config) throws SQLException;

    abstract boolean sameBaseType(Connection connection, String declared, String actual) throws SQLException;
}
