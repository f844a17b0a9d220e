package dev.tandem.state;

import dev.tandem.state.internal.LayoutScripts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;

/**
 * The schema (on MariaDB and MySQL: the database) that holds Tandem's state tables, and their layout. The layout's
 * version is the one row of its {@code layout} table; {@link #install} brings the tables from whatever version they
 * are at to {@link #LAYOUT} by the steps in between ({@code step-N.sql} per database, in this module's resources),
 * under a lock. Two groups of tables lie outside the versioned layout, each created by the module that needs it
 * when it is missing: the instance registry and the record of Liquibase changelogs.
 *
 * <p>Every statement names the schema, so it works on connections of any version, and carries the query timeout
 * the schema was made with.
 */
public final class StateSchema {
    /** The layout this code writes. A database with a higher one was written by a newer Tandem. */
    public static final int LAYOUT = 4;
    /** The oldest layout {@code step-N.sql} can start from: step 2 creates layout 2 from nothing or from 1. */
    private static final int FIRST_STEP = 2;

    public static final String MIGRATIONS = "migrations";
    public static final String HISTORY = "history";
    public static final String STEPS = "steps";
    public static final String BACKFILL_TABLES = "backfill_tables";
    public static final String BACKFILL_RANGES = "backfill_ranges";
    /** Since layout 4: how each migration's running backfills are steered (paused, rate, workers). */
    public static final String BACKFILL_CONTROL = "backfill_control";
    public static final String INSTANCES = "instances";
    public static final String LIQUIBASE_CHANGELOGS = "liquibase_changelogs";
    public static final String LIQUIBASE_CHANGESETS = "liquibase_changesets";
    /** The one-row table of the layout version. */
    public static final String VERSION_TABLE = "layout";

    private final DatabaseKind kind;
    private final String name;
    private final int queryTimeoutSeconds;

    /** @param queryTimeoutSeconds how long each statement may run; 0 for no limit */
    public StateSchema(DatabaseKind kind, String name, int queryTimeoutSeconds) {
        this.kind = kind;
        this.name = name;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /**
     * The state schema {@code name} on the database {@code connection} is on.
     *
     * @throws SQLFeatureNotSupportedException when that is neither PostgreSQL nor MariaDB (MySQL)
     */
    public static StateSchema on(Connection connection, String name, int queryTimeoutSeconds) throws SQLException {
        DatabaseKind kind = DatabaseKind.of(connection).orElseThrow(() -> new SQLFeatureNotSupportedException(
                "Tandem keeps its state on PostgreSQL and MariaDB"));
        return new StateSchema(kind, name, queryTimeoutSeconds);
    }

    public DatabaseKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    /** A state table's qualified, quoted name. */
    public String table(String table) {
        return kind.ident(name) + "." + kind.ident(table);
    }

    /** Whether the state table {@code table} exists. */
    public boolean has(Connection c, String table) throws SQLException {
        try (PreparedStatement s = prepare(c, kind == DatabaseKind.POSTGRESQL
                ? "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?"
                : "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            s.setString(1, name);
            s.setString(2, table);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** The layout version the tables are at; 0 when there are none. */
    public int layout(Connection c) throws SQLException {
        if (!has(c, VERSION_TABLE)) {
            return 0;
        }
        try (PreparedStatement s = prepare(c, "SELECT COALESCE(MAX(version), 0) FROM " + table(VERSION_TABLE));
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    /**
     * Creates the state tables, or upgrades them to {@link #LAYOUT}; does nothing when they are at it. Every
     * coordinator command and every Liquibase run calls it first, so the first of them that runs a new build
     * upgrades the tables in place.
     *
     * @throws NewerLayoutException when a newer Tandem wrote the tables
     */
    public void install(Connection c) throws SQLException {
        int found = layout(c);
        if (found > LAYOUT) {
            throw new NewerLayoutException(this, found);
        }
        if (found < LAYOUT) {
            underInstallLock(c, s -> {
                run(s, "layout");
                int now = layout(c);
                if (now > LAYOUT) {
                    throw new NewerLayoutException(this, now);
                }
                for (int step = Math.max(now + 1, FIRST_STEP); step <= LAYOUT; step++) {
                    run(s, "step-" + step);
                }
                s.executeUpdate(now == 0 ? "INSERT INTO " + table(VERSION_TABLE) + " (version) VALUES (" + LAYOUT + ")"
                        : "UPDATE " + table(VERSION_TABLE) + " SET version = " + LAYOUT);
            });
        }
    }

    /**
     * Creates the instance registry, which lies outside the versioned layout: an application creates it when it
     * first starts, and may lack the right to change anything else. Safe to run concurrently.
     */
    public void createRegistry(Connection c) throws SQLException {
        underInstallLock(c, s -> run(s, "registry"));
    }

    /** Creates the tables of Tandem's record of Liquibase changelogs, outside the versioned layout. */
    public void createChangelogRecords(Connection c) throws SQLException {
        underInstallLock(c, s -> run(s, "changelogs"));
    }

    private interface Ddl {
        void run(Statement statement) throws SQLException;
    }

    /**
     * Runs {@code ddl} under the lock that keeps two sessions from creating or upgrading the tables at once. On
     * PostgreSQL in one transaction with an advisory lock: the caller's when one is open, else one of its own. On
     * MariaDB, whose DDL commits on its own, under a named lock, by statements that may all run again.
     */
    private void underInstallLock(Connection c, Ddl ddl) throws SQLException {
        if (kind == DatabaseKind.POSTGRESQL) {
            Jdbc.Work<Void> locked = () -> {
                try (Statement s = statement(c)) {
                    s.execute("SELECT pg_advisory_xact_lock(" + StateLocks.POSTGRES_CLASS + ", "
                            + StateLocks.POSTGRES_INSTALL + ")");
                    ddl.run(s);
                }
                return null;
            };
            if (c.getAutoCommit()) {
                Jdbc.inTransaction(c, locked);
            } else {
                locked.run();
            }
            return;
        }
        String lock = StateLocks.mariaDbInstallLock(name);
        try (PreparedStatement s = Jdbc.prepare(c, "SELECT GET_LOCK(?, 60)", lock); ResultSet r = s.executeQuery()) {
            r.next();
            if (r.getInt(1) != 1) {
                throw new SQLException("another session has been creating Tandem's state tables in database '" + name
                        + "' for a minute");
            }
        }
        try (Statement s = statement(c)) {
            ddl.run(s);
        } finally {
            Jdbc.update(c, "DO RELEASE_LOCK(?)", lock);
        }
    }

    private void run(Statement s, String script) throws SQLException {
        for (String sql : LayoutScripts.statements(kind, script, name)) {
            s.execute(sql);
        }
    }

    /** A statement with the schema's query timeout; the caller closes it. */
    PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        s.setQueryTimeout(queryTimeoutSeconds);
        return s;
    }

    /** A plain statement with the schema's query timeout; the caller closes it. */
    Statement statement(Connection c) throws SQLException {
        Statement s = c.createStatement();
        s.setQueryTimeout(queryTimeoutSeconds);
        return s;
    }
}
