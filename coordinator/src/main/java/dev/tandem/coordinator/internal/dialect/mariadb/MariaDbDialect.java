package dev.tandem.coordinator.internal.dialect.mariadb;

import dev.tandem.coordinator.UnsupportedDatabaseException;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.BatchStatements;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.dialect.Lock;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.sql.Quoting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * MariaDB 10.11. DDL is not transactional, so every statement is a step of its own and is written to be
 * repeated safely. A statement's SQL is {@link MariaDbSql}'s, its lock {@link MariaDbLocks}', and a change MariaDB
 * can only make by copying the table is refused by {@link MariaDbRefusals} before expand changes anything; this class
 * holds the session's side: detection, settings, timeouts and errors.
 */
public final class MariaDbDialect implements Dialect {
    /** The session variable the backfill sets so the sync triggers stay out of its way. */
    static final String BACKFILL_VARIABLE = "@tandem_backfill";
    /**
     * The session variable through which a new-version connection names its version database. Inside a
     * trigger DATABASE() is the trigger's own database, so the session's database cannot tell the versions apart.
     */
    public static final String VERSION_VARIABLE = "@tandem_version";
    private static final MariaDbSql SQL = new MariaDbSql();
    private static final MariaDbLocks LOCKS = new MariaDbLocks();
    private static final MariaDbRefusals REFUSALS = new MariaDbRefusals();
    /**
     * Error codes of the migration's own text: unknown names and types, syntax, values, violated constraints
     * (1644: rows violating a foreign key that expand added; 1074, 1426, 1439, 4161: unknown types, sizes out of range;
     * 1215, 1822, 1825: a foreign key the tables cannot hold, such as a bigint column referencing an int key).
     */
    private static final Set<Integer> BAD_INPUT = Set.of(1054, 1146, 1064, 1305, 1630, 1582, 1583, 1109, 1060, 1061,
            1091, 1327, 4025, 3819, 1062, 1452, 1451, 1048, 1366, 1292, 1264, 1406, 1365, 1845, 1846, 1644,
            1074, 1426, 1439, 4161, 1215, 1822, 1825);
    /** "Can't create table" is the migration's only for errno 150, a foreign key the tables cannot hold. */
    private static final int CANT_CREATE_TABLE = 1005;

    private final MySqlServer server;

    MariaDbDialect(MySqlServer server) {
        this.server = server;
    }

    /** True for a MariaDB server, whichever driver talks to it (MySQL's Connector/J reports 5.5.5-10.11...). */
    public static boolean isMariaDb(Connection connection) throws SQLException {
        return MySqlServer.isMySqlFamily(connection) && MySqlServer.detect(connection).mariaDb();
    }

    /**
     * The dialect for this connection's server. Prepares the session for Tandem's SQL: backslashes are plain
     * characters in strings, as the expression lexer reads them (triggers keep this mode), and a backfill or
     * version marker, batch statement timeout and isolation left on a pooled connection by an earlier run are cleared.
     *
     * @throws UnsupportedDatabaseException for MySQL and for MariaDB older than 10.5, saying why
     */
    public static MariaDbDialect forSession(Connection connection) throws SQLException {
        MySqlServer server = MySqlServer.detect(connection);
        if (server.unsupportedReason() != null) {
            throw new UnsupportedDatabaseException(server.unsupportedReason());
        }
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
            s.execute("SET " + BACKFILL_VARIABLE + " = NULL, " + VERSION_VARIABLE + " = NULL");
            s.execute("SET SESSION max_statement_time = DEFAULT, SESSION " + server.isolationVariable() + " = DEFAULT");
        }
        requireParametersSentAsTheyAre(connection);
        return new MariaDbDialect(server);
    }

    /**
     * A driver that fills parameters into the statement text itself must know that backslashes are plain now.
     * MySQL's Connector/J does not notice the sql_mode change and escapes a newline as backslash-n, which the
     * server would then store as two characters.
     */
    private static void requireParametersSentAsTheyAre(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT CHAR_LENGTH(?)")) {
            s.setString(1, "a\nb");
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                if (rows.getInt(1) != 3) {
                    throw new UnsupportedDatabaseException("the JDBC driver (" + connection.getMetaData().getDriverName()
                            + ") escapes parameters with backslashes, which Tandem's session reads as plain characters"
                            + " (NO_BACKSLASH_ESCAPES): with MySQL Connector/J add useServerPrepStmts=true to the URL,"
                            + " or use MariaDB Connector/J");
                }
            }
        }
    }

    public MySqlServer server() {
        return server;
    }

    public String serverVersion() {
        return server.version();
    }

    @Override
    public boolean cascadesFireTriggers() {
        return false;
    }

    /** In place, MariaDB rewrites every row with an UPDATE (2–2.5× a copy's cost) and cannot add checks online. */
    @Override
    public boolean copiesTables() {
        return true;
    }

    @Override
    public boolean columnNamesIgnoreCase() {
        return true;
    }

    @Override
    public boolean tableNamesIgnoreCase() {
        return server.tableNamesIgnoreCase();
    }

    @Override
    public boolean transactionalDdl() {
        return false;
    }

    @Override
    public boolean viewsFollowRenames() {
        return false;
    }

    @Override
    public boolean transactional(Ddl ddl) {
        return false;
    }

    @Override
    public dev.tandem.coordinator.migration.Database database() {
        return dev.tandem.coordinator.migration.Database.MARIADB;
    }

    @Override
    public String versionSchema(String schema, String migration) {
        return Names.bounded(schema + "__" + migration);
    }

    @Override
    public List<String> statements(Ddl ddl) {
        return ddl.accept(SQL);
    }

    @Override
    public Lock lock(Ddl ddl) {
        return ddl.accept(LOCKS);
    }

    @Override
    public String refusal(Ddl ddl) {
        return ddl.accept(REFUSALS);
    }

    /** Why MariaDB refuses {@code ddl} whatever the server's settings and tables, or null: for a file read alone. */
    public static String refusalOnAnyServer(Ddl ddl) {
        return ddl.accept(REFUSALS);
    }

    @Override
    public void execute(Ddl ddl, List<String> sql, Connection connection, Sessions sessions, Duration lockHold,
                        Consumer<String> running) throws SQLException {
        if (ddl instanceof Ddl.SwitchUnderLock s) {
            MariaDbSwitch.run(s, SQL.switchChanges(s), s.viewsAfter().stream().map(MariaDbSql::createView).toList(),
                    connection, sessions, lockHold, running);
        } else {
            Dialect.super.execute(ddl, sql, connection, sessions, lockHold, running);
        }
    }

    @Override
    public BatchStatements batchStatements() {
        return new MariaDbBatchStatements(server.isolationVariable());
    }

    @Override
    public CatalogSnapshot readCatalog(Connection connection, String schema) throws SQLException {
        return new MariaDbCatalog(connection, schema).read();
    }

    /**
     * Sets the metadata lock wait (DDL) and the row lock wait (backfill) for the session: MariaDB has no
     * transaction-local setting. Both count whole seconds, so a timeout is rounded up to at least one second.
     * {@link Duration#ZERO} restores the server's defaults. The statement time limit a previous step may have set
     * is always cleared: left on the session, it would bound the next step's trigger statements too (an
     * interrupted {@code CREATE TRIGGER} leaves a stray {@code .TRN-} file behind).
     */
    @Override
    public void setLockTimeout(Connection connection, Duration timeout, boolean transactionOnly) throws SQLException {
        String seconds = timeout.isZero() ? "DEFAULT" : String.valueOf(wholeSeconds(timeout));
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION lock_wait_timeout = " + seconds + ", innodb_lock_wait_timeout = " + seconds
                    + ", max_statement_time = DEFAULT");
        }
    }

    /**
     * {@code lock_wait_timeout} counts whole seconds, and {@code ALTER TABLE ... WAIT n} takes a fraction as 0.
     * Statements that take only the exclusive metadata lock and change metadata (instant column changes,
     * renames, tables this phase created) are bounded as a whole by {@code max_statement_time}, which counts
     * microseconds and ends a wait for a metadata lock like the statement (error 1969, retried as a lock timeout;
     * the statement changed nothing). Statements that build or rebuild run as long as the table is big, so they
     * keep the whole-second wait, and so do trigger statements: with them under the time limit, a test run left a
     * sync trigger's stray {@code .TRN-} backup file behind (10.11.19), which makes {@code DROP DATABASE} fail.
     */
    @Override
    public Duration setLockTimeout(Connection connection, Duration timeout, List<Ddl> statements)
            throws SQLException {
        setLockTimeout(connection, timeout, false);
        if (timeout.isZero()) {
            return timeout;
        }
        if (!statements.stream().allMatch(d -> lock(d).mode().equals(MariaDbLocks.EXCLUSIVE)
                && !lock(d).equals(MariaDbLocks.TRIGGERS))) {
            return Duration.ofSeconds(wholeSeconds(timeout));
        }
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION max_statement_time = " + Math.max(1, timeout.toMillis()) / 1000.0);
        }
        return timeout;
    }

    /**
     * MariaDB has no transaction-local setting: this sets {@code idle_transaction_timeout} for the session, in
     * whole seconds (rounded up), until it is called again with {@link Duration#ZERO}.
     */
    @Override
    public void setIdleTransactionTimeout(Connection connection, Duration timeout) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION idle_transaction_timeout = "
                    + (timeout.isZero() ? "DEFAULT" : String.valueOf(wholeSeconds(timeout))));
        }
    }

    /** Class 08 (the connection broke or was closed by the server), 1927 (the session was killed). */
    @Override
    public boolean isSessionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08") || e.getErrorCode() == 1927;
    }

    /** MariaDB's lock and idle timeouts count whole seconds: {@code timeout} rounded up, at least one. */
    static long wholeSeconds(Duration timeout) {
        return Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    @Override
    public boolean isRetryable(SQLException e) {
        return e.getErrorCode() == 1205 || e.getErrorCode() == 1213
                || e.getErrorCode() == MariaDbBatchStatements.STATEMENT_TIMEOUT;
    }

    @Override
    public boolean isBadInput(SQLException e) {
        return BAD_INPUT.contains(e.getErrorCode()) || (e.getErrorCode() == CANT_CREATE_TABLE
                && String.valueOf(e.getMessage()).contains("errno: 150"));
    }

    /**
     * Metadata locks are not listed without a plugin, so this names the sessions with an open transaction, which
     * are what a DDL statement waits for.
     */
    @Override
    public String describeLockHolders(Connection connection, TableRef table) {
        String sql = "SELECT p.ID, p.USER, p.COMMAND, t.trx_started, LEFT(COALESCE(p.INFO, ''), 120)"
                + " FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p"
                + " ON p.ID = t.trx_mysql_thread_id WHERE p.ID <> CONNECTION_ID()";
        List<String> holders = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                holders.add("connection " + rows.getLong(1) + " of " + rows.getString(2) + " (" + rows.getString(3)
                        + ", transaction since " + rows.getString(4) + ", statement: " + rows.getString(5) + ")");
            }
        } catch (SQLException e) {
            return "";
        }
        return String.join("; ", holders);
    }

    /** A name quoted for MariaDB. */
    static String ident(String name) {
        return Quoting.backtick(name);
    }
}
