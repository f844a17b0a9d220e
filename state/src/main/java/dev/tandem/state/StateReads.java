package dev.tandem.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an application (the dual-write library) reads of the coordinator's {@code migrations} and {@code history}:
 * the recorded migrations and their phases, without depending on the coordinator. Writes nothing; where Tandem
 * never ran, there is nothing recorded.
 */
public final class StateReads {
    private final StateSchema schema;

    public StateReads(StateSchema schema) {
        this.schema = schema;
    }

    /** The migrations recorded for {@code targetSchema}, oldest first. */
    public List<MigrationRow> migrations(Connection c, String targetSchema) throws SQLException {
        List<MigrationRow> rows = new ArrayList<>();
        if (!schema.has(c, StateSchema.MIGRATIONS)) {
            return rows;
        }
        try (PreparedStatement s = schema.prepare(c, "SELECT m.name, m.phase, m.source, m.version_schema,"
                + " m.previous_version_schema, " + backfilledSinceExpand() + " FROM "
                + schema.table(StateSchema.MIGRATIONS) + " m WHERE m.target_schema = ?"
                + " ORDER BY m.created_at, m.name")) {
            s.setString(1, targetSchema);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new MigrationRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getBoolean(6)));
                }
            }
        }
        return rows;
    }

    /**
     * The recorded phase of migration {@code name} of {@code targetSchema} (the latest recorded migration when
     * {@code name} is null), and whether a backfill finished since its last expand; null when none is recorded.
     */
    public PhaseRow phase(Connection c, String targetSchema, String name) throws SQLException {
        if (!schema.has(c, StateSchema.MIGRATIONS)) {
            return null;
        }
        try (PreparedStatement s = schema.prepare(c, "SELECT m.name, m.phase, " + backfilledSinceExpand()
                + " FROM " + schema.table(StateSchema.MIGRATIONS) + " m WHERE m.target_schema = ? AND (m.name = ? OR "
                + schema.kind().nullableText() + " IS NULL) ORDER BY m.created_at DESC, m.name DESC LIMIT 1")) {
            s.setString(1, targetSchema);
            s.setString(2, name);
            s.setString(3, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new PhaseRow(r.getString(1), r.getString(2), r.getBoolean(3)) : null;
            }
        }
    }

    /** Whether a backfill finished after the latest expand of migration {@code m}. */
    private String backfilledSinceExpand() {
        String history = schema.table(StateSchema.HISTORY);
        return "EXISTS (SELECT 1 FROM " + history + " b WHERE b.target_schema = m.target_schema"
                + " AND b.migration = m.name AND b.event = 'backfilled' AND b.id > COALESCE((SELECT MAX(e.id)"
                + " FROM " + history + " e WHERE e.target_schema = m.target_schema AND e.migration = m.name"
                + " AND e.event = 'expanded'), 0))";
    }

    /** Those of {@code schemas} (databases, on MariaDB and MySQL) that exist. */
    public Set<String> existingSchemas(Connection c, Collection<String> schemas) throws SQLException {
        Set<String> existing = new HashSet<>();
        try (PreparedStatement s = schema.prepare(c, schema.kind() == DatabaseKind.POSTGRESQL
                ? "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?"
                : "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            for (String each : schemas) {
                s.setString(1, each);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        existing.add(each);
                    }
                }
            }
        }
        return existing;
    }
}
