package dev.tandem.coordinator.internal.dialect.postgres;

import static dev.tandem.coordinator.internal.sql.Quoting.ident;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.dialect.BatchStatements;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.dialect.Lock;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.Names;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL 12 and later. A statement's SQL is {@link PostgresSql}'s, its lock {@link PostgresLocks}' and its
 * refusal {@link PostgresRefusals}'; this class holds the session's side: detection, settings, timeouts and errors.
 */
public final class PostgresDialect implements Dialect {
    /** The setting the backfill sets for its own transactions so the sync trigger stays out of its way. */
    public static final String BACKFILL_SETTING = "tandem.backfill";

    private static final PostgresLocks LOCKS = new PostgresLocks();
    private static final PostgresRefusals REFUSALS = new PostgresRefusals();

    private final PostgresSql sql;

    public PostgresDialect(int serverMajorVersion) {
        this.sql = new PostgresSql(serverMajorVersion);
    }

    public static PostgresDialect detect(Connection connection) throws SQLException {
        return new PostgresDialect(connection.getMetaData().getDatabaseMajorVersion());
    }

    @Override
    public dev.tandem.coordinator.migration.Database database() {
        return dev.tandem.coordinator.migration.Database.POSTGRESQL;
    }

    @Override
    public String versionSchema(String schema, String migration) {
        return Names.bounded(schema + "_" + migration);
    }

    /** Concurrent index builds and drops are the statements PostgreSQL refuses inside a transaction block. */
    @Override
    public boolean transactional(Ddl ddl) {
        return !(ddl instanceof Ddl.CreateIndex || ddl instanceof Ddl.DropIndex);
    }

    @Override
    public List<String> statements(Ddl ddl) {
        return ddl.accept(sql);
    }

    @Override
    public Lock lock(Ddl ddl) {
        return ddl.accept(LOCKS);
    }

    @Override
    public String refusal(Ddl ddl) {
        return ddl.accept(REFUSALS);
    }

    @Override
    public BatchStatements batchStatements() {
        return new PostgresBatchStatements();
    }

    @Override
    public CatalogSnapshot readCatalog(Connection connection, String schema) throws SQLException {
        return new PostgresCatalog(connection, schema).read();
    }

    @Override
    public void setLockTimeout(Connection connection, Duration timeout, boolean transactionOnly) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("SET " + (transactionOnly ? "LOCAL " : "") + "lock_timeout = " + timeout.toMillis());
        }
    }

    @Override
    public void setIdleTransactionTimeout(Connection connection, Duration timeout) throws SQLException {
        if (timeout.isZero()) {
            return; // SET LOCAL ended with the transaction
        }
        try (var statement = connection.createStatement()) {
            statement.execute("SET LOCAL idle_in_transaction_session_timeout = " + timeout.toMillis());
        }
    }

    /** Class 08 (connection exception), 25P03 (idle-in-transaction timeout), 57P01 (terminated by an admin). */
    @Override
    public boolean isSessionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("25P03") || state.equals("57P01"));
    }

    @Override
    public boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return "55P03".equals(state) || "40P01".equals(state) || "40001".equals(state);
    }

    @Override
    public String missingRight(Connection connection, String schema, List<Ddl> statements) throws SQLException {
        return PostgresRights.missing(connection, schema, statements);
    }

    @Override
    public boolean isBadInput(SQLException e) {
        String state = e.getSQLState();
        // 42501, a missing privilege, is the database's setup, not the migration's input
        return state != null && (state.startsWith("42") && !state.equals("42501") || state.startsWith("22")
                || state.equals("23514")
                || state.equals("23503") || state.equals("23505") || state.equals("23502"));
    }

    @Override
    public List<String> dependents(Connection connection, TableRef table, String column, List<String> ownSchemas)
            throws SQLException {
        return PostgresDependents.of(connection, table, column, ownSchemas);
    }

    @Override
    public String describeLockHolders(Connection connection, TableRef table) {
        String sql = "SELECT a.pid, l.mode, coalesce(a.application_name, ''), coalesce(a.state, ''), "
                + "coalesce(to_char(a.xact_start, 'YYYY-MM-DD HH24:MI:SS'), ''), left(coalesce(a.query, ''), 120) "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE l.granted AND l.pid <> pg_backend_pid() AND l.relation = to_regclass(?)";
        List<String> holders = new ArrayList<>();
        try (var statement = connection.prepareStatement(sql)) {
            statement.setString(1, ident(table.schema()) + "." + ident(table.name()));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    holders.add("pid " + rows.getInt(1) + " holds " + rows.getString(2) + " (application '"
                            + rows.getString(3) + "', " + rows.getString(4) + ", transaction since "
                            + rows.getString(5) + ", last statement: " + rows.getString(6) + ")");
                }
            }
        } catch (SQLException e) {
            return "";
        }
        return String.join("; ", holders);
    }
}
