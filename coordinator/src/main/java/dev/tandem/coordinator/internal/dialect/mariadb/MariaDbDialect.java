package dev.tandem.coordinator.internal.dialect.mariadb;

import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import dev.tandem.coordinator.UnsupportedDatabaseException;
import dev.tandem.coordinator.internal.backfill.BatchStatements;
import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.dialect.Lock;
import dev.tandem.coordinator.internal.operation.OperationException;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.sql.Quoting;
import dev.tandem.coordinator.internal.sql.SqlExpression;
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
import java.util.stream.Collectors;

/**
 * MariaDB 10.11. DDL is not transactional, so every statement is a step of its own and is written to be
 * repeated safely (IF [NOT] EXISTS, CREATE OR REPLACE). Every ALTER of an existing table names its algorithm
 * (INSTANT, or INPLACE with LOCK=NONE), so the server refuses instead of copying the table behind a write
 * lock; a change it can only copy is refused before expand changes anything.
 */
public final class MariaDbDialect implements Dialect {
    /** The session variable the backfill sets so the sync triggers stay out of its way. */
    static final String BACKFILL_VARIABLE = "@tandem_backfill";
    /**
     * The session variable through which a new-version connection names its version database. Inside a
     * trigger DATABASE() is the trigger's own database, so the session's database cannot tell the versions apart.
     */
    public static final String VERSION_VARIABLE = "@tandem_version";
    /** The function in each version database by which its views refuse a session without the version variable. */
    private static final String REQUIRE_VERSION = "tandem_require_version";

    private static final String INSTANT = ", ALGORITHM=INSTANT";
    static final String ONLINE = ", ALGORITHM=INPLACE, LOCK=NONE";
    /** The lock of statements that change metadata only: waiting for it is most of their run time. */
    private static final String EXCLUSIVE = "MDL EXCLUSIVE";
    private static final Lock INSTANT_LOCK = new Lock(EXCLUSIVE, true, "instant, metadata only; waits for "
            + "open transactions on the table, and later statements on the table queue behind it while it waits");
    private static final Lock ONLINE_LOCK = new Lock("MDL SHARED UPGRADABLE", true, "builds while reads and writes "
            + "continue; exclusive metadata lock only briefly at start and end");
    private static final Lock NEW_TABLE = new Lock(EXCLUSIVE, false, "on a table this phase created only");
    private static final Lock NONE = new Lock("none", false, "no table lock");
    private static final Lock SET_NOT_NULL_LOCK = new Lock("MDL SHARED UPGRADABLE", true, "rebuilds the table in place"
            + " while reads and writes continue; exclusive metadata lock only briefly at start and end; fails on a NULL");
    /**
     * Error codes of the migration's own text: unknown names and types, syntax, values, violated constraints
     * (1644: rows violating a foreign key that expand added; 1074, 1426, 1439, 4161: unknown types, sizes out of range).
     */
    private static final Set<Integer> BAD_INPUT = Set.of(1054, 1146, 1064, 1305, 1630, 1582, 1583, 1109, 1060, 1061,
            1091, 1327, 4025, 3819, 1062, 1452, 1451, 1048, 1366, 1292, 1264, 1406, 1365, 1845, 1846, 1644,
            1074, 1426, 1439, 4161);

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
    public String versionSchema(String schema, String migration) {
        return Names.bounded(schema + "__" + migration);
    }

    @Override
    public List<String> statements(Ddl ddl) {
        if (ddl instanceof Ddl.CreateSchema s) {
            return List.of("CREATE DATABASE IF NOT EXISTS " + ident(s.schema()));
        }
        if (ddl instanceof Ddl.DropSchema s) {
            return List.of("DROP DATABASE IF EXISTS " + ident(s.schema()));
        }
        if (ddl instanceof Ddl.CreateTable s) {
            return List.of(createTable(s));
        }
        if (ddl instanceof Ddl.DropTable s) {
            return List.of("DROP TABLE IF EXISTS " + table(s.table()));
        }
        if (ddl instanceof Ddl.RenameTable s) {
            return List.of("ALTER TABLE IF EXISTS " + table(s.table()) + " RENAME TO "
                    + table(s.table().withName(s.newName())));
        }
        if (ddl instanceof Ddl.AddColumn s) {
            return List.of(alter(s.table()) + "ADD COLUMN IF NOT EXISTS " + column(s.column()) + INSTANT);
        }
        if (ddl instanceof Ddl.DropColumn s) {
            // instant, but dropping the column's indexes with it is in place: NOCOPY allows both, never a rebuild
            return List.of(alter(s.table()) + "DROP COLUMN IF EXISTS " + ident(s.column())
                    + ", ALGORITHM=NOCOPY, LOCK=NONE");
        }
        if (ddl instanceof Ddl.RenameColumn s) {
            List<String> statements = new ArrayList<>();
            statements.add(alter(s.table()) + "RENAME COLUMN IF EXISTS " + ident(s.column()) + " TO "
                    + ident(s.newName()) + INSTANT);
            statements.addAll(jsonCheckFollowsRename(s.table(), s.column(), s.newName()));
            return statements;
        }
        if (ddl instanceof Ddl.SetViewDefault s && s.newColumn() != null) {
            // MariaDB views have no defaults; a column only the new version has can take it on the table itself
            return statements(new Ddl.SetDefault(s.table(), s.newColumn(), s.value()));
        }
        if (ddl instanceof Ddl.SetDefault s) {
            return List.of(alter(s.table()) + "ALTER COLUMN " + ident(s.column())
                    + (s.value() == null ? " DROP DEFAULT" : " SET DEFAULT " + expression(s.value())) + INSTANT);
        }
        if (ddl instanceof Ddl.Comment s && s.column() == null) {
            return List.of(alter(s.table()) + "COMMENT = " + literal(s.text() == null ? "" : s.text()) + INSTANT);
        }
        if (ddl instanceof Ddl.AddConstraint s && !s.notValid()) {
            return addConstraint(s.table(), s.constraint());
        }
        if (ddl instanceof Ddl.AddConstraint s && Names.isNotNullCheck(s.constraint().name())) {
            // NOT NULL until contract: the sync triggers refuse a NULL in a required column instead
            return List.of();
        }
        if (ddl instanceof Ddl.SetNotNull s) {
            return setNotNull(s.table(), s.column());
        }
        if (ddl instanceof Ddl.AddConstraint s && s.constraint().kind() == ConstraintDef.Kind.FOREIGN_KEY) {
            return MariaDbForeignKeys.addUnchecked(s.table(), s.constraint());
        }
        if (ddl instanceof Ddl.ValidateConstraint s && s.notNullColumn() != null) {
            // NOT NULL before contract's first step: from there on the sync triggers, which refused a NULL until
            // now, give way to triggers that only fence the old version out; the column refuses it itself then
            return setNotNull(s.table(), s.notNullColumn());
        }
        if (ddl instanceof Ddl.ValidateConstraint) {
            // foreign keys had their rows checked right after expand added them
            return List.of();
        }
        if (ddl instanceof Ddl.DropConstraint s) {
            // a unique constraint is an index, whose drop is not instant; a foreign key leaves behind the index
            // MariaDB created for it under its name, which goes with it (unless another key needs it)
            List<String> statements = new ArrayList<>();
            statements.add(alter(s.table()) + "DROP CONSTRAINT IF EXISTS " + ident(s.name()) + ONLINE);
            statements.addAll(MariaDbForeignKeys.dropIndex(s.table(), s.name()));
            return statements;
        }
        if (ddl instanceof Ddl.RenameConstraint s && s.kind() == ConstraintDef.Kind.UNIQUE) {
            return List.of(alter(s.table()) + "RENAME INDEX IF EXISTS " + ident(s.name()) + " TO "
                    + ident(s.newName()) + INSTANT);
        }
        if (ddl instanceof Ddl.RenameConstraint s && s.kind() == ConstraintDef.Kind.FOREIGN_KEY) {
            return MariaDbForeignKeys.rename(s.table(), s.name(), s.newName());
        }
        if (ddl instanceof Ddl.AddUniqueUsingIndex s) {
            return List.of(); // a unique index is the unique constraint here
        }
        if (ddl instanceof Ddl.CreateIndex s && s.where() == null && s.method() == null) {
            return List.of(alter(s.table()) + "ADD " + (s.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS "
                    + ident(s.name()) + " (" + names(s.elements()) + ")" + ONLINE);
        }
        if (ddl instanceof Ddl.DropIndex s) {
            return MariaDbForeignKeys.dropIndex(s.table(), s.name());
        }
        if (ddl instanceof Ddl.RenameIndex s) {
            return List.of(alter(s.table()) + "RENAME INDEX IF EXISTS " + ident(s.name()) + " TO "
                    + ident(s.newName()) + INSTANT);
        }
        if (ddl instanceof Ddl.CreateVersionView s) {
            return List.of(requireVersionFunction(s.view().schema()), createView(s));
        }
        if (ddl instanceof Ddl.CreateSyncTrigger s) {
            return MariaDbSyncTriggers.create(s.trigger());
        }
        if (ddl instanceof Ddl.DropSyncTrigger s) {
            return MariaDbSyncTriggers.drop(s.trigger());
        }
        if (ddl instanceof Ddl.FenceSyncTrigger s) {
            return MariaDbSyncTriggers.fence(s.trigger(), s.newVersionStays());
        }
        if (ddl instanceof Ddl.SwitchUnderLock s) {
            List<String> statements = new ArrayList<>();
            statements.add(s.viewAfter() == null ? "LOCK TABLES " + table(s.table()) + " WRITE"
                    : MariaDbSwitch.lockView(s));
            statements.addAll(switchChanges(s));
            statements.add("UNLOCK TABLES");
            if (s.viewAfter() != null) {
                statements.add("-- on a second session, queued behind the lock before it is released:\n"
                        + createView(s.viewAfter()));
            }
            return statements;
        }
        if (ddl instanceof Ddl.Probe s) {
            // a version's views refuse a session that does not name the version
            return List.of("SET " + VERSION_VARIABLE + " = " + literal(s.relation().schema()),
                    "SELECT COUNT(value) FROM (SELECT " + expression(s.expression()) + " AS value FROM "
                    + table(s.relation()) + " LIMIT 1000) AS probe", "SET " + VERSION_VARIABLE + " = NULL");
        }
        if (ddl instanceof Ddl.SyncProbe s) {
            return MariaDbSyncTriggers.probe(s.trigger(), s.rule(), s.down());
        }
        if (ddl instanceof Ddl.RawSql s) {
            // Tandem's own statements name their database, so the session may stay in this one
            return List.of("USE " + ident(s.schema()), s.sql());
        }
        throw new OperationException(notOnline(ddl));
    }

    /** The statements a switch makes under its lock: the change, then the fence for the names after it. */
    private List<String> switchChanges(Ddl.SwitchUnderLock s) {
        List<String> statements = new ArrayList<>(statements(s.change()));
        if (s.fence() != null) {
            statements.addAll(MariaDbSyncTriggers.fence(s.fence(), true));
        }
        return statements;
    }

    @Override
    public void execute(Ddl ddl, List<String> sql, Connection connection, Sessions sessions, Duration lockHold,
                        Consumer<String> running) throws SQLException {
        if (ddl instanceof Ddl.SwitchUnderLock s) {
            MariaDbSwitch.run(s, switchChanges(s), s.viewAfter() == null ? null : createView(s.viewAfter()), connection,
                    sessions, lockHold, running);
        } else {
            Dialect.super.execute(ddl, sql, connection, sessions, lockHold, running);
        }
    }

    /** Why {@code ddl} cannot be run online on MariaDB, for the refusal before expand changes anything. */
    private static String notOnline(Ddl ddl) {
        String what;
        if (ddl instanceof Ddl.AddConstraint s) {
            what = "a " + s.constraint().kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " constraint on an existing table: MariaDB has no NOT VALID check constraints, so it would"
                    + " check every row while copying the table under a write lock (this includes NOT NULL on a new"
                    + " or altered column)";
        } else if (ddl instanceof Ddl.CreateIndex s) {
            what = s.where() != null ? "a partial index (MariaDB has no WHERE on indexes)"
                    : "an index with access method '" + s.method() + "'";
        } else if (ddl instanceof Ddl.DropNotNull) {
            what = "dropping NOT NULL in place, which MariaDB makes by rebuilding the table";
        } else if (ddl instanceof Ddl.SetViewDefault) {
            what = "a default supplied by the new version's view for a column the old version uses too (MariaDB views"
                    + " have no column defaults, and the table's would change the old version's inserts)";
        } else if (ddl instanceof Ddl.Comment) {
            what = "a column comment, which MariaDB can only set by restating the whole column";
        } else if (ddl instanceof Ddl.RenameConstraint) {
            what = "renaming a check constraint: MariaDB can only drop it and add it again, which checks every row"
                    + " while copying the table under a write lock";
        } else {
            what = ddl.getClass().getSimpleName();
        }
        return "not supported online on MariaDB (yet): " + what + "; nothing was changed";
    }

    @Override
    public Lock lock(Ddl ddl) {
        if (ddl instanceof Ddl.CreateSchema || ddl instanceof Ddl.DropSchema) {
            return new Lock("MDL on the version database", false, "the version database's views only");
        }
        if (ddl instanceof Ddl.CreateTable) {
            return NEW_TABLE;
        }
        if (ddl instanceof Ddl.AddConstraint s && Names.isNotNullCheck(s.constraint().name())) {
            return NONE;
        }
        if (ddl instanceof Ddl.AddConstraint s && s.notValid()) {
            return new Lock("MDL SHARED UPGRADABLE", true, "builds the key's index while reads and writes continue,"
                    + " exclusive metadata lock on both tables only briefly; then reads the rows to check (no lock)");
        }
        if (ddl instanceof Ddl.AddConstraint s) {
            return s.constraint().kind() == ConstraintDef.Kind.FOREIGN_KEY
                    ? new Lock(EXCLUSIVE, true, "briefly on both tables: the new table is empty, so no check")
                    : NEW_TABLE;
        }
        if (ddl instanceof Ddl.ValidateConstraint s) {
            return s.notNullColumn() != null ? SET_NOT_NULL_LOCK : NONE;
        }
        if (ddl instanceof Ddl.CreateIndex || ddl instanceof Ddl.DropIndex || ddl instanceof Ddl.DropConstraint
                || ddl instanceof Ddl.RenameConstraint s && s.kind() == ConstraintDef.Kind.FOREIGN_KEY) {
            return ONLINE_LOCK;
        }
        if (ddl instanceof Ddl.SetViewDefault s && s.newColumn() != null) {
            return INSTANT_LOCK;
        }
        if (ddl instanceof Ddl.CreateVersionView) {
            return new Lock("MDL SHARED", false, "reads and writes continue");
        }
        if (ddl instanceof Ddl.SwitchUnderLock) {
            return new Lock("LOCK TABLES WRITE", true, "on the table and the new version's view of it, for as long as"
                    + " the instant change takes: the new version's statements wait, then meet the view made again for"
                    + " the names after it by a second session queued behind the lock");
        }
        if (ddl instanceof Ddl.Probe || ddl instanceof Ddl.SyncProbe) {
            return new Lock("MDL SHARED READ", false, "reads at most 1000 rows");
        }
        if (ddl instanceof Ddl.AddUniqueUsingIndex) {
            return NONE;
        }
        if (ddl instanceof Ddl.CreateSyncTrigger || ddl instanceof Ddl.DropSyncTrigger
                || ddl instanceof Ddl.FenceSyncTrigger) {
            return new Lock(EXCLUSIVE, true, "briefly: blocks writes while the triggers are attached or removed");
        }
        if (ddl instanceof Ddl.SetNotNull) {
            return SET_NOT_NULL_LOCK;
        }
        if (ddl instanceof Ddl.DropColumn) {
            return new Lock(EXCLUSIVE, true, "instant, and the column's indexes are dropped in place without a"
                    + " rebuild; waits for open transactions on the table, and later statements queue behind it");
        }
        if (ddl instanceof Ddl.RawSql) {
            return new Lock("unknown", true, "user SQL: Tandem cannot tell which locks it takes");
        }
        return INSTANT_LOCK;
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
     * {@link Duration#ZERO} restores the server's defaults, the statement time limit's too.
     */
    @Override
    public void setLockTimeout(Connection connection, Duration timeout, boolean transactionOnly) throws SQLException {
        String seconds = timeout.isZero() ? "DEFAULT" : String.valueOf(wholeSeconds(timeout));
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION lock_wait_timeout = " + seconds + ", innodb_lock_wait_timeout = " + seconds
                    + (timeout.isZero() ? ", max_statement_time = DEFAULT" : ""));
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
        if (!statements.stream().allMatch(d -> lock(d).mode().equals(EXCLUSIVE) && !(d instanceof Ddl.CreateSyncTrigger
                || d instanceof Ddl.DropSyncTrigger || d instanceof Ddl.FenceSyncTrigger))) {
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
        return BAD_INPUT.contains(e.getErrorCode());
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

    /**
     * Makes a column NOT NULL in place (LOCK=NONE): InnoDB rebuilds the table while reads and writes continue,
     * and fails on a NULL. MODIFY restates the whole column, so its type (JSON as such, which keeps its check),
     * collation, default and comment are read from information_schema; a no-op once the column is NOT NULL.
     */
    private static List<String> setNotNull(TableRef ref, String column) {
        String build = "SELECT CONCAT(" + literal(alter(ref) + "MODIFY COLUMN " + ident(column) + " ") + ","
                + " IF(EXISTS (SELECT 1 FROM information_schema.CHECK_CONSTRAINTS h WHERE h.CONSTRAINT_SCHEMA ="
                + " c.TABLE_SCHEMA AND h.TABLE_NAME = c.TABLE_NAME AND h.LEVEL = 'Column' AND h.CHECK_CLAUSE = "
                + literal("json_valid(" + ident(column) + ")") + "), 'json',"
                + " CONCAT(c.COLUMN_TYPE, IF(c.COLLATION_NAME IS NULL, '', CONCAT(' COLLATE ', c.COLLATION_NAME)))),"
                + " ' NOT NULL',"
                + " IF(c.COLUMN_DEFAULT IS NULL OR c.COLUMN_DEFAULT = 'NULL', '', CONCAT(' DEFAULT ', c.COLUMN_DEFAULT)),"
                + " IF(c.COLUMN_COMMENT = '', '', CONCAT(' COMMENT ', QUOTE(c.COLUMN_COMMENT))), " + literal(ONLINE) + ")"
                + " FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = " + literal(ref.schema())
                + " AND c.TABLE_NAME = " + literal(ref.name()) + " AND c.COLUMN_NAME = " + literal(column)
                + " AND c.IS_NULLABLE = 'YES'";
        return prepared(build, "_tandem_not_null");
    }

    /** Runs the statement {@code build} selects (none when it selects no row), for DDL built from the catalog. */
    static List<String> prepared(String build, String name) {
        return List.of("SET @tandem_statement = COALESCE((" + build + "), 'DO 0')",
                "PREPARE " + name + " FROM @tandem_statement", "EXECUTE " + name, "DEALLOCATE PREPARE " + name);
    }

    /**
     * A JSON column's check keeps the column's old name when the column is renamed (a shadow's check would stay
     * {@code _tandem_x}). Restating the column as JSON under its new name renames the check, instantly. Built
     * from information_schema, and a no-op once the check has the column's name, so it can be repeated.
     */
    private static List<String> jsonCheckFollowsRename(TableRef ref, String column, String newName) {
        String build = "SELECT CONCAT(" + literal(alter(ref) + "CHANGE COLUMN " + ident(newName) + " " + ident(newName)
                + " json") + ", IF(c.IS_NULLABLE = 'NO', ' NOT NULL', ' NULL'),"
                + " IF(c.COLUMN_DEFAULT IS NULL OR c.COLUMN_DEFAULT = 'NULL', '', CONCAT(' DEFAULT ', c.COLUMN_DEFAULT)),"
                + " IF(c.COLUMN_COMMENT = '', '', CONCAT(' COMMENT ', QUOTE(c.COLUMN_COMMENT))), " + literal(INSTANT) + ")"
                + " FROM information_schema.COLUMNS c JOIN information_schema.CHECK_CONSTRAINTS h"
                + " ON h.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND h.TABLE_NAME = c.TABLE_NAME"
                + " WHERE c.TABLE_SCHEMA = " + literal(ref.schema()) + " AND c.TABLE_NAME = " + literal(ref.name())
                + " AND c.COLUMN_NAME = " + literal(newName) + " AND h.LEVEL = 'Column' AND h.CONSTRAINT_NAME = "
                + literal(column) + " AND h.CHECK_CLAUSE = " + literal("json_valid(" + ident(newName) + ")");
        return prepared(build, "_tandem_json");
    }

    private List<String> addConstraint(TableRef ref, ConstraintDef c) {
        String name = ident(c.name());
        switch (c.kind()) {
            case CHECK:
                // a CHECK can only be added by copying; this table was created in this phase and is empty
                return List.of(alter(ref) + "ADD CONSTRAINT IF NOT EXISTS " + name + " CHECK "
                        + expression(c.check()) + ", ALGORITHM=COPY");
            case UNIQUE:
                return List.of(alter(ref) + "ADD CONSTRAINT " + name + " UNIQUE KEY IF NOT EXISTS " + name
                        + " (" + names(c.columns()) + ")" + ONLINE);
            case FOREIGN_KEY:
                // the table is new and has no rows to check
                return MariaDbForeignKeys.add(ref, c);
            default:
                throw new OperationException("not supported on MariaDB (yet): adding a primary key");
        }
    }

    private String createTable(Ddl.CreateTable s) {
        List<String> parts = new ArrayList<>();
        s.columns().forEach(c -> parts.add(column(c)));
        if (!s.primaryKey().isEmpty()) {
            parts.add("PRIMARY KEY (" + names(s.primaryKey()) + ")");
        }
        return "CREATE TABLE IF NOT EXISTS " + table(s.table()) + " (" + String.join(", ", parts) + ")";
    }

    /**
     * Every view of a version refuses a session that has not named the version in {@link #VERSION_VARIABLE}: the
     * sync triggers would take its writes for the old version's and overwrite the new columns they set. MariaDB
     * allows no user variable in a view, but a function may read one. DETERMINISTIC and without arguments, it runs
     * once per statement while the optimizer folds it, so reads cost nothing more; WITH CHECK OPTION runs it for
     * inserts too, and once more for each row an update changes.
     */
    static String createView(Ddl.CreateVersionView s) {
        String columns = s.columns().stream()
                .map(c -> ident(c.source()) + (c.source().equals(c.alias()) ? "" : " AS " + ident(c.alias())))
                .collect(Collectors.joining(", "));
        return "CREATE OR REPLACE SQL SECURITY INVOKER VIEW " + table(s.view()) + " AS SELECT " + columns
                + " FROM " + table(s.source()) + " WHERE " + requireVersion(s.view().schema()) + "() WITH CHECK OPTION";
    }

    private static String requireVersion(String versionDatabase) {
        return table(new TableRef(versionDatabase, REQUIRE_VERSION));
    }

    /** Kept in the version's own database, which goes with it. */
    private static String requireVersionFunction(String versionDatabase) {
        String message = "Tandem: this session uses the views of schema version database `" + versionDatabase
                + "` but has not set " + VERSION_VARIABLE + " to it, so the sync triggers would take its writes for the"
                + " old version's: run SET " + VERSION_VARIABLE + " = '" + versionDatabase + "' on the connection first"
                + " (SchemaVersion.initSql() does it; see docs/mysql.md)";
        return "CREATE FUNCTION IF NOT EXISTS " + requireVersion(versionDatabase)
                + "() RETURNS INT DETERMINISTIC NO SQL\nBEGIN\n  IF " + VERSION_VARIABLE + " <=> "
                + literal(versionDatabase) + " THEN RETURN 1; END IF;\n  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = "
                + literal(message) + ";\nEND";
    }

    private static String column(ColumnDef c) {
        return ident(c.name()) + " " + type(c.type())
                + (c.defaultValue() == null ? "" : " DEFAULT " + expression(c.defaultValue()))
                + (c.notNull() ? " NOT NULL" : " NULL");
    }

    /** PostgreSQL's binary JSON is MariaDB's JSON: LONGTEXT with a json_valid check. */
    static String type(String declared) {
        return declared.equalsIgnoreCase("jsonb") ? "json" : declared;
    }

    /** A user expression with its double-quoted identifiers in backticks. */
    static String expression(SqlExpression expression) {
        try {
            return expression.wrapped(Quoting::backtick);
        } catch (IllegalArgumentException e) {
            throw new OperationException(e.getMessage());
        }
    }

    static String ident(String name) {
        return Quoting.backtick(name);
    }

    static String table(TableRef ref) {
        return ident(ref.schema()) + "." + ident(ref.name());
    }

    static String alter(TableRef ref) {
        return "ALTER TABLE " + table(ref) + " ";
    }

    static String names(List<String> names) {
        return names.stream().map(MariaDbDialect::ident).collect(Collectors.joining(", "));
    }
}
