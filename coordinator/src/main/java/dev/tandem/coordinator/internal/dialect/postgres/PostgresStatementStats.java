package dev.tandem.coordinator.internal.dialect.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The statements pg_stat_statements recorded for the connection's database, most called first. */
public final class PostgresStatementStats {
    /** The query the docs give for an export; the live capture reads the same. */
    public static final String QUERY = "SELECT queryid, calls, query FROM pg_stat_statements"
            + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC";

    public record Recorded(String queryId, String query) {
    }

    private PostgresStatementStats() {
    }

    /**
     * @throws SQLException when the extension is missing (42P01) or not loaded through shared_preload_libraries
     */
    public static List<Recorded> read(Connection connection) throws SQLException {
        List<Recorded> recorded = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                recorded.add(new Recorded(rs.getString("queryid"), rs.getString("query")));
            }
        }
        return recorded;
    }
}
