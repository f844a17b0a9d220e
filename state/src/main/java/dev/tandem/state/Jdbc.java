package dev.tandem.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The JDBC plumbing Tandem's modules share: text parameters bound in order, rows read one at a time, transactions. */
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

    /**
     * Runs {@code work} in one transaction and commits it; rolls back and rethrows when it fails. Leaves the
     * connection's auto-commit mode as it found it.
     */
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

    /**
     * Like {@link #inTransaction}, at READ COMMITTED whatever isolation the connection had (restored afterwards),
     * so every statement sees what was committed before it, as on PostgreSQL by default. At REPEATABLE READ
     * (MariaDB's default) a snapshot taken before a lock was granted would miss what the lock's holder committed.
     */
    public static <T> T readCommitted(Connection c, Work<T> work) throws SQLException {
        int isolation = c.getTransactionIsolation();
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try {
            return inTransaction(c, work);
        } finally {
            c.setTransactionIsolation(isolation);
        }
    }
}
