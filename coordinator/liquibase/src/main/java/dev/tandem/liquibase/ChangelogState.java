package dev.tandem.liquibase;

import dev.tandem.coordinator.UnsupportedDatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import liquibase.database.Database;
import liquibase.database.core.MariaDBDatabase;
import liquibase.database.core.PostgresDatabase;

/**
 * Tandem's record of labelled changelogs, in its state schema next to its own migrations: per changelog the last
 * phase that applied changesets (or its baseline, or rolled back), and each phase-labelled changeset applied with
 * the checksum DATABASECHANGELOG holds for it. The only SQL of this module; the two databases differ only in
 * quoting, column types, the upsert and how a table's existence is asked.
 */
abstract class ChangelogState {
    private static final String KEY = "target_schema, filename, id, author";

    /** The state for the database Liquibase found on the connection. */
    static ChangelogState of(Database database, String stateSchema) {
        if (database instanceof PostgresDatabase) {
            return new PostgresChangelogState(stateSchema);
        }
        if (database instanceof MariaDBDatabase) {
            return new MariaDbChangelogState(stateSchema);
        }
        throw new UnsupportedDatabaseException("Tandem runs Liquibase changelogs on PostgreSQL and MariaDB, not on "
                + database.getDatabaseProductName());
    }

    /** The qualified, quoted name of a state table. */
    abstract String table(String name);

    /** The column type of the text key columns. */
    abstract String keyText();

    abstract String timestamp();

    /** The end of an INSERT that updates {@code columns} from the new row when a row with its key exists. */
    abstract String onConflict(String key, List<String> columns);

    /** Whether the state tables exist; the statement takes no parameter. */
    abstract String installedQuery();

    /** Creates the two tables if missing; runs inside the caller's transaction. */
    void install(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table("liquibase_changelogs") + " (target_schema " + keyText()
                    + " NOT NULL, changelog " + keyText() + " NOT NULL, phase " + keyText() + " NOT NULL, updated_at "
                    + timestamp() + " NOT NULL DEFAULT now(), PRIMARY KEY (target_schema, changelog))");
            s.execute("CREATE TABLE IF NOT EXISTS " + table("liquibase_changesets") + " (target_schema " + keyText()
                    + " NOT NULL, changelog " + keyText() + " NOT NULL, filename " + keyText() + " NOT NULL, id "
                    + keyText() + " NOT NULL, author " + keyText() + " NOT NULL, phase " + keyText() + " NOT NULL,"
                    + " checksum " + keyText() + " NOT NULL, recorded_at " + timestamp() + " NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (" + KEY + "))");
        }
    }

    /**
     * {@code phase}: {@link ChangelogPhase#done()}, {@link LiquibasePhases#BASELINE} or
     * {@link LiquibasePhases#ROLLED_BACK}.
     */
    void recordPhase(Connection c, String targetSchema, String changelog, String phase) throws SQLException {
        update(c, "INSERT INTO " + table("liquibase_changelogs") + " (target_schema, changelog, phase, updated_at)"
                + " VALUES (?, ?, ?, now())" + onConflict("target_schema, changelog", List.of("phase", "updated_at")),
                targetSchema, changelog, phase);
    }

    void recordChangeSet(Connection c, String targetSchema, String changelog, String filename, String id,
                         String author, ChangelogPhase phase, String checksum) throws SQLException {
        update(c, "INSERT INTO " + table("liquibase_changesets") + " (" + KEY + ", changelog, phase, checksum)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)" + onConflict(KEY, List.of("changelog", "phase", "checksum")),
                targetSchema, filename, id, author, changelog, phase.label(), checksum);
    }

    /** After a rollback: the changelog's changesets are no longer applied. */
    void forgetChangeSets(Connection c, String targetSchema, String changelog) throws SQLException {
        update(c, "DELETE FROM " + table("liquibase_changesets") + " WHERE target_schema = ? AND changelog = ?",
                targetSchema, changelog);
    }

    /** The phase recorded for {@code changelog}, or null when Tandem has not run it. */
    String phase(Connection c, String targetSchema, String changelog) throws SQLException {
        return query(c, "SELECT changelog, phase FROM " + table("liquibase_changelogs")
                + " WHERE target_schema = ? AND changelog = ?", targetSchema, changelog).get(changelog);
    }

    /** The phase recorded per applied changeset, by {@code file::id::author}. */
    Map<String, String> recordedChangeSets(Connection c, String targetSchema) throws SQLException {
        return query(c, "SELECT filename, id, author, phase FROM " + table("liquibase_changesets")
                + " WHERE target_schema = ?", targetSchema);
    }

    /**
     * Rows as a map from their first columns joined with {@code ::} to their last; empty when the state tables
     * do not exist yet.
     */
    private Map<String, String> query(Connection c, String sql, String... args) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet installed = s.executeQuery(installedQuery())) {
            if (!installed.next() || !installed.getBoolean(1)) {
                return rows;
            }
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                int columns = r.getMetaData().getColumnCount();
                while (r.next()) {
                    StringBuilder key = new StringBuilder(r.getString(1));
                    for (int i = 2; i < columns; i++) {
                        key.append("::").append(r.getString(i));
                    }
                    rows.put(key.toString(), r.getString(columns));
                }
            }
        }
        return rows;
    }

    private static void update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
