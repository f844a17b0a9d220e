package dev.tandem.coordinator.testing;

import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;

/**
 * The database one run of a {@link BothDatabases} test is on. The test hands a case to each server; only the
 * case of the run's server runs, on a fresh database dropped afterwards.
 */
public final class OnDatabase {
    /** The servers every operation runs on. */
    public enum Server {
        POSTGRESQL("PostgreSQL"), MARIADB("MariaDB");

        private final String displayName;

        Server(String displayName) {
            this.displayName = displayName;
        }

        @Override
        public String toString() {
            return displayName;
        }
    }

    /** What a test does on one database. */
    @FunctionalInterface
    public interface Case<D> {
        void run(D db) throws Exception;
    }

    private final Server server;
    private boolean stated;

    OnDatabase(Server server) {
        this.server = server;
    }

    public Server server() {
        return server;
    }

    boolean stated() {
        return stated;
    }

    /** Runs {@code test} when this run is on PostgreSQL. */
    public void postgres(Case<TestDatabase> test) throws Exception {
        if (server == Server.POSTGRESQL) {
            stated = true;
            try (TestDatabase db = TestDatabase.create()) {
                test.run(db);
            }
        }
    }

    /** Runs {@code test} when this run is on MariaDB. */
    public void mariaDb(Case<MariaDbTestDatabase> test) throws Exception {
        if (server == Server.MARIADB) {
            stated = true;
            try (MariaDbTestDatabase db = MariaDbTestDatabase.create()) {
                test.run(db);
            }
        }
    }
}
