package dev.tandem.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tandem's record of labelled Liquibase changelogs, next to its own migrations: per changelog the last phase that
 * applied changesets (or its baseline, or rolled back), and each phase-labelled changeset applied with the checksum
 * DATABASECHANGELOG holds for it. Runs in whatever transaction is open.
 */
public final class ChangelogRecords {
    private static final String KEY = "target_schema, filename, id, author";

    private final StateSchema schema;

    public ChangelogRecords(StateSchema schema) {
        this.schema = schema;
    }

    public void recordPhase(Connection c, String targetSchema, String changelog, String phase) throws SQLException {
        Jdbc.update(c, "INSERT INTO " + schema.table(StateSchema.LIQUIBASE_CHANGELOGS) + " (target_schema, changelog,"
                + " phase, updated_at) VALUES (?, ?, ?, now())"
                + schema.kind().onConflict("target_schema, changelog", List.of("phase", "updated_at")),
                targetSchema, changelog, phase);
    }

    public void recordChangeSet(Connection c, String targetSchema, String changelog, String filename, String id,
                                String author, String phase, String checksum) throws SQLException {
        Jdbc.update(c, "INSERT INTO " + schema.table(StateSchema.LIQUIBASE_CHANGESETS) + " (" + KEY + ", changelog,"
                + " phase, checksum) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + schema.kind().onConflict(KEY, List.of("changelog", "phase", "checksum")),
                targetSchema, filename, id, author, changelog, phase, checksum);
    }

    /** After a rollback: the changelog's changesets are no longer applied. */
    public void forgetChangeSets(Connection c, String targetSchema, String changelog) throws SQLException {
        Jdbc.update(c, "DELETE FROM " + schema.table(StateSchema.LIQUIBASE_CHANGESETS)
                + " WHERE target_schema = ? AND changelog = ?", targetSchema, changelog);
    }

    /** The phase recorded for {@code changelog}, or null when Tandem has not run it. */
    public String phase(Connection c, String targetSchema, String changelog) throws SQLException {
        return query(c, "SELECT changelog, phase FROM " + schema.table(StateSchema.LIQUIBASE_CHANGELOGS)
                + " WHERE target_schema = ? AND changelog = ?", targetSchema, changelog).get(changelog);
    }

    /** The phase recorded per applied changeset, by {@code file::id::author}. */
    public Map<String, String> recordedChangeSets(Connection c, String targetSchema) throws SQLException {
        return query(c, "SELECT filename, id, author, phase FROM " + schema.table(StateSchema.LIQUIBASE_CHANGESETS)
                + " WHERE target_schema = ?", targetSchema);
    }

    /**
     * Rows as a map from their first columns joined with {@code ::} to their last; empty when the tables do not
     * exist yet.
     */
    private Map<String, String> query(Connection c, String sql, String... args) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        if (!schema.has(c, StateSchema.LIQUIBASE_CHANGESETS)) {
            return rows;
        }
        Jdbc.query(c, sql, r -> {
            int columns = r.getMetaData().getColumnCount();
            StringBuilder key = new StringBuilder(r.getString(1));
            for (int i = 2; i < columns; i++) {
                key.append("::").append(r.getString(i));
            }
            rows.put(key.toString(), r.getString(columns));
        }, args);
        return rows;
    }
}
