package dev.tandem.coordinator.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Statements and queries run as one application version would: the test databases of each server say how a
 * version connects (a search_path on PostgreSQL, a database of views on MariaDB); null is the old version.
 */
public abstract class StatementsAsVersion {
    /** A new connection as {@code version} would open it; null for the tables' own schema or database. */
    protected abstract Connection connectAs(String version) throws SQLException;

    public void execute(String... sql) {
        executeIn(null, sql);
    }

    public void executeIn(String version, String... sql) {
        try (Connection c = connectAs(version); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Each row of the query as its columns joined with '|', nulls as "null". */
    public List<String> rows(String sql) {
        return rows(null, sql);
    }

    public List<String> rows(String version, String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection c = connectAs(version); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(r.getString(i));
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return rows;
    }

    /** The first column of the first row, or null when there is no row. */
    public String value(String sql) {
        return value(null, sql);
    }

    public String value(String version, String sql) {
        List<String> rows = rows(version, sql);
        return rows.isEmpty() ? null : rows.get(0);
    }
}
