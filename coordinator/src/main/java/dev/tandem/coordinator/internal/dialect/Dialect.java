package dev.tandem.coordinator.internal.dialect;

import dev.tandem.coordinator.SqlFailures;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything Tandem says to one kind of database. The operations and the phase engine stay free of SQL
 * text; adding a database means adding a dialect.
 */
public interface Dialect extends SqlFailures {

    /**
     * Why this database cannot run {@code ddl} online, for the plan's refusal before anything is changed; null when
     * it can. Asked once for each statement while the phase is planned: {@link #statements} and {@link #lock} are
     * only asked about a statement this accepts.
     */
    String refusal(Ddl ddl);

    /** The statements that carry out {@code ddl}, run in order. */
    List<String> statements(Ddl ddl);

    /**
     * Runs {@code sql}, the statements of {@code ddl}, on {@code connection}, naming each to {@code running} first.
     * A dialect that needs a second session for a statement (see {@link Ddl.SwitchUnderLock}) opens it from
     * {@code sessions}; one that holds a lock across statements outside a transaction bounds how long a paused
     * client keeps it by {@code lockHold}.
     */
    default void execute(Ddl ddl, List<String> sql, Connection connection, Sessions sessions, Duration lockHold,
                         Consumer<String> running) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                running.accept(each);
                statement.execute(each);
            }
        }
    }

    /** Opens another session to the same database. */
    @FunctionalInterface
    interface Sessions {
        Connection open() throws SQLException;
    }

    /** The lock {@code ddl} takes and its effect on the application. */
    Lock lock(Ddl ddl);

    /** False for statements the database refuses inside a transaction block (concurrent index builds). */
    boolean transactional(Ddl ddl);

    /**
     * False when DDL commits on its own (MySQL, MariaDB): a phase's main statements then run one step each,
     * every one idempotent, instead of in one transaction.
     */
    default boolean transactionalDdl() {
        return true;
    }

    /**
     * False when a view names its columns by text (MySQL, MariaDB), so contract's renames would break the
     * new version's views unless contract creates them again.
     */
    default boolean viewsFollowRenames() {
        return true;
    }

    /**
     * Whether a change that rewrites a table may be made by copying the table into a new one kept in step by
     * triggers and swapped in at contract (the table-copy strategy), instead of in place.
     */
    default boolean copiesTables() {
        return false;
    }

    /**
     * False when the changes a foreign key's ON UPDATE action or ON DELETE SET NULL / SET DEFAULT makes in the
     * referencing rows fire no triggers (MySQL, MariaDB): sync triggers would miss them. The catalog then
     * records each foreign key's actions in its definition ({@code ON UPDATE <rule> ON DELETE <rule>}).
     */
    default boolean cascadesFireTriggers() {
        return true;
    }

    /**
     * True when the database takes two column names that differ only in case for the same column (MySQL,
     * MariaDB): the plan then refuses a migration whose names collide that way.
     */
    default boolean columnNamesIgnoreCase() {
        return false;
    }

    /** True when table names that differ only in case name the same table (lower_case_table_names 1 or 2). */
    default boolean tableNamesIgnoreCase() {
        return false;
    }

    /** The schema (or database) of views through which a migration's version of the application works. */
    String versionSchema(String schema, String migration);

    /** Which database this is, to pick its expressions where a migration file gives one per database. */
    dev.tandem.coordinator.migration.Database database();

    /** The tables, columns, keys and indexes of {@code schema}. */
    CatalogSnapshot readCatalog(Connection connection, String schema) throws SQLException;

    /** Sets the lock timeout for the current transaction, or for the session when not in one. */
    void setLockTimeout(Connection connection, Duration timeout, boolean transactionOnly) throws SQLException;

    /**
     * Sets the lock timeout for the session's next statements, those of {@code statements}, run outside a
     * transaction; {@link #setLockTimeout(Connection, Duration, boolean) setLockTimeout(connection, ZERO, false)}
     * ends it. Returns how long a statement will really wait for its lock, which can be longer than
     * {@code timeout} where the database counts coarser units.
     */
    default Duration setLockTimeout(Connection connection, Duration timeout, List<Ddl> statements)
            throws SQLException {
        setLockTimeout(connection, timeout, false);
        return timeout;
    }

    /**
     * Makes the server end this session, rolling its transaction back and releasing its locks, once the
     * transaction has waited longer than {@code timeout} for the client's next statement: a client paused
     * (SIGSTOP, a stopped VM, a long GC) or cut off holds the application's locks no longer than that. For the
     * current transaction where the database scopes settings so (call it inside the transaction), else for the
     * session; {@link Duration#ZERO} restores the server's default where the setting is the session's.
     */
    void setIdleTransactionTimeout(Connection connection, Duration timeout) throws SQLException;

    /**
     * True when the session is gone: the server ended it (an idle transaction timed out, an administrator
     * terminated it) or the connection broke. Whatever the session had not committed was rolled back.
     */
    boolean isSessionLost(SQLException e);

    /**
     * Why this session may not run {@code statements} on {@code schema}, naming the right it lacks and how to
     * give it; null when it may, or when the dialect does not check. Asked before anything is changed.
     */
    default String missingRight(Connection connection, String schema, List<Ddl> statements) throws SQLException {
        return null;
    }

    /**
     * The objects of the database that would keep it from dropping {@code column} of {@code table} ({@code null}: the
     * table), described for an error message (views, generated columns, …), leaving out the views of
     * {@code ownSchemas} (Tandem's version schemas) and Tandem's own triggers; empty when the dialect does not check.
     */
    default List<String> dependents(Connection connection, TableRef table, String column, List<String> ownSchemas)
            throws SQLException {
        return List.of();
    }

    /** The SQL of backfill batches. */
    BatchStatements batchStatements();

    /** Sessions holding locks on {@code table}, described for an error message; empty when none is seen. */
    String describeLockHolders(Connection connection, TableRef table);
}
