package dev.tandem.coordinator.internal.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The JDBC plumbing the dialects share: text parameters bound in order, rows read one at a time. */
public final class Jdbc {
    private Jdbc() {
    }

    public interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    public interface Work<T> {
        T run() throws SQLException;
    }

    /** The statement with {@code args} bound to its first parameters; the caller closes it. */
    public static PreparedStatement prepare(Connection c, String sql, String... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            return s;
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public static int update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, args)) {
            return s.executeUpdate();
        }
    }

    /** Whether the query returns a row. */
    public static boolean exists(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, args); ResultSet r = s.executeQuery()) {
            return r.next();
        }
    }

    public static void query(Connection c, String sql, RowReader reader, String... args) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, args); ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                reader.read(rows);
            }
        }
    }

    /** Runs {@code work} and commits it; rolls back and rethrows when it fails. */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
