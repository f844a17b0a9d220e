package dev.tandem.liquibase;

import static dev.tandem.coordinator.sql.Quoting.ident;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Tandem's record of labelled changelogs, in its state schema next to its own migrations: per changelog the last
 * phase that applied changesets (or its baseline), and each phase-labelled changeset applied with the checksum DATABASECHANGELOG holds for it. The only
 * SQL of this module; PostgreSQL like the run lock it works under.
 */
final class PostgresChangelogState {
    private final String stateSchema;

    PostgresChangelogState(String stateSchema) {
        this.stateSchema = stateSchema;
    }

    private String t(String table) {
        return ident(stateSchema) + "." + ident(table);
    }

    /** Creates the two tables if missing; runs inside the caller's transaction. */
    void install(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + t("liquibase_changelogs") + " (target_schema text NOT NULL,"
                    + " changelog text NOT NULL, phase text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (target_schema, changelog))");
            s.execute("CREATE TABLE IF NOT EXISTS " + t("liquibase_changesets") + " (target_schema text NOT NULL,"
                    + " changelog text NOT NULL, filename text NOT NULL, id text NOT NULL, author text NOT NULL,"
                    + " phase text NOT NULL, checksum text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (target_schema, filename, id, author))");
        }
    }

    /** {@code phase}: the {@link ChangelogPhase#done()} of the phase that ran, or {@link LiquibasePhases#BASELINE}. */
    void recordPhase(Connection c, String targetSchema, String changelog, String phase) throws SQLException {
        update(c, "INSERT INTO " + t("liquibase_changelogs") + " (target_schema, changelog, phase) VALUES (?, ?, ?)"
                + " ON CONFLICT (target_schema, changelog) DO UPDATE SET phase = excluded.phase, updated_at = now()",
                targetSchema, changelog, phase);
    }

    void recordChangeSet(Connection c, String targetSchema, String changelog, String filename, String id,
                         String author, ChangelogPhase phase, String checksum) throws SQLException {
        update(c, "INSERT INTO " + t("liquibase_changesets") + " (target_schema, changelog, filename, id, author,"
                + " phase, checksum) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target_schema, filename, id, author)"
                + " DO UPDATE SET changelog = excluded.changelog, phase = excluded.phase, checksum = excluded.checksum",
                targetSchema, changelog, filename, id, author, phase.label(), checksum);
    }

    /** After a rollback: the changelog's changesets are no longer applied. */
    void forgetChangeSets(Connection c, String targetSchema, String changelog) throws SQLException {
        update(c, "DELETE FROM " + t("liquibase_changesets") + " WHERE target_schema = ? AND changelog = ?",
                targetSchema, changelog);
    }

    /** The phase recorded for {@code changelog}, or null when Tandem has not run it. */
    String phase(Connection c, String targetSchema, String changelog) throws SQLException {
        Map<String, String> phases = query(c, "SELECT changelog, phase FROM " + t("liquibase_changelogs")
                + " WHERE target_schema = ? AND changelog = ?", targetSchema, changelog);
        return phases.get(changelog);
    }

    /** The phase recorded per applied changeset, by {@code file::id::author}. */
    Map<String, String> recordedChangeSets(Connection c, String targetSchema) throws SQLException {
        return query(c, "SELECT filename || '::' || id || '::' || author, phase FROM " + t("liquibase_changesets")
                + " WHERE target_schema = ?", targetSchema);
    }

    /** Two-column rows as a map; empty when the state tables do not exist yet. */
    private Map<String, String> query(Connection c, String sql, String... args) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, t("liquibase_changesets"));
            try (ResultSet r = exists.executeQuery()) {
                if (!r.next() || !r.getBoolean(1)) {
                    return rows;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1), r.getString(2));
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
