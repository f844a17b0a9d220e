package dev.tandem.coordinator.internal.dialect.mariadb;

import static dev.tandem.coordinator.internal.dialect.mariadb.MariaDbSql.table;

import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.engine.TestPause;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs a {@link Ddl.SwitchUnderLock}. A view and a column rename cannot change in one statement on MariaDB, and
 * {@code CREATE VIEW} is refused under {@code LOCK TABLES} (error 1192). So this session locks the views of the
 * table made again (the new version's and those of the versions stacked on it) and through them the table
 * ({@code LOCK TABLES … WRITE}: the application's statements on the views now wait, before they read a view's
 * definition), makes the change and replaces the fence trigger and the stacked migrations' sync triggers, all
 * allowed under the lock; a second session per view then asks for the view's exclusive metadata lock to create it
 * again, and only once each is seen waiting does this session unlock. A waiting exclusive lock goes before the
 * shared ones waiting with it, so each view is replaced before any waiting statement opens it: every version's
 * statements meet the new view and the new columns together.
 */
final class MariaDbSwitch {
    private static final String WAITING = "Waiting for table metadata lock";
    private static final String UNLOCK = "UNLOCK TABLES";

    private final Ddl.SwitchUnderLock ddl;
    private final Connection connection;
    private final Consumer<String> running;

    private MariaDbSwitch(Ddl.SwitchUnderLock ddl, Connection connection, Consumer<String> running) {
        this.ddl = ddl;
        this.connection = connection;
        this.running = running;
    }

    /**
     * @param changes  the change's, the fence's and the stacked triggers' statements; {@code views} those of the
     *                 views made again, the new version's first (each queued on a second session of its own)
     * @param lockHold how long the server waits for this client's next statement while it holds the lock: a
     *                 paused or cut-off process loses its session then, and with it the lock ({@code wait_timeout};
     *                 {@code LOCK TABLES} is no transaction, so {@code idle_transaction_timeout} does not apply)
     */
    static void run(Ddl.SwitchUnderLock ddl, Iterable<String> changes, List<String> views, Connection connection,
                    Dialect.Sessions sessions, Duration lockHold, Consumer<String> running) throws SQLException {
        new MariaDbSwitch(ddl, connection, running).run(changes, views, sessions, lockHold);
    }

    private void run(Iterable<String> changes, List<String> views, Dialect.Sessions sessions, Duration lockHold)
            throws SQLException {
        // opened before the lock is taken: waiting for a pooled connection must not hold the application up
        List<Helper> helpers = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            Helper helper = Helper.open(sessions, timeout());
            if (helper == null) {
                break;
            }
            helpers.add(helper);
        }
        List<FutureTask<Void>> queued = new ArrayList<>();
        try {
            boolean bounded = !lockHold.isZero();
            if (bounded) {
                execute(connection, "SET SESSION wait_timeout = " + MariaDbDialect.wholeSeconds(lockHold));
            }
            boolean locked = false;
            try {
                locked = lock();
                for (String sql : changes) {
                    execute(connection, sql);
                    TestPause.at("switch/" + ddl.table().name());
                }
                if (locked) {
                    for (int i = 0; i < helpers.size(); i++) {
                        queued.add(queue(views.get(i), helpers.get(i)));
                    }
                }
            } finally {
                try {
                    if (locked) {
                        execute(connection, UNLOCK);
                    }
                    if (bounded) {
                        execute(connection, "SET SESSION wait_timeout = DEFAULT");
                    }
                } finally {
                    queued.replaceAll(task -> succeeded(task) ? null : task);
                }
            }
        } finally {
            helpers.forEach(Helper::release);
        }
        // without a second session, or when it failed, the view follows a moment after the change, and its
        // version's statements may fail in that moment
        for (int i = 0; i < views.size(); i++) {
            if (i >= queued.size() || queued.get(i) != null) {
                execute(connection, views.get(i));
            }
        }
    }

    /** This session's lock wait, in seconds, which the second sessions wait as well. */
    private long timeout() throws SQLException {
        return Long.parseLong(value(connection, "SELECT @@SESSION.lock_wait_timeout"));
    }

    /**
     * Locks the views and through them the table; false when the table is gone (a rerun after its rename). A view
     * that names a column that is gone (a run stopped inside this step) cannot be locked: then only the table is.
     */
    private boolean lock() throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'")) {
            exists.setString(1, ddl.table().schema());
            exists.setString(2, ddl.table().name());
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    return false;
                }
            }
        }
        if (!ddl.viewsAfter().isEmpty()) {
            try {
                execute(connection, lockViews(ddl));
                return true;
            } catch (SQLException e) {
                if (e.getErrorCode() != 1356) {
                    throw e;
                }
            }
        }
        execute(connection, "LOCK TABLES " + table(ddl.table()) + " WRITE");
        return true;
    }

    /**
     * Locks the views made again, and through them their table. Naming the table as well would lock the table first
     * (MariaDB takes the locks of one statement in the order of their names, and the tables' database sorts before
     * the version databases): a statement that had just opened a view would then wait for the table while this
     * session waits for the view, lose the deadlock, and retry with the view's old definition already expanded.
     */
    static String lockViews(Ddl.SwitchUnderLock ddl) {
        return ddl.viewsAfter().stream().map(view -> table(view.view()) + " WRITE")
                .collect(Collectors.joining(", ", "LOCK TABLES ", ""));
    }

    /** Sends {@code view} on {@code helper}'s session and returns once it waits for the view's metadata lock. */
    private FutureTask<Void> queue(String view, Helper helper) throws SQLException {
        FutureTask<Void> task = new FutureTask<>(() -> {
            execute(helper.session(), view);
            return null;
        });
        Thread thread = new Thread(task, "tandem-view-switch");
        thread.setDaemon(true);
        thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(helper.timeout());
        try (PreparedStatement state = connection.prepareStatement(
                "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ?")) {
            state.setLong(1, helper.id());
            while (!task.isDone() && System.nanoTime() < deadline) {
                try (ResultSet rows = state.executeQuery()) {
                    if (rows.next() && WAITING.equals(rows.getString(1))) {
                        break;
                    }
                }
                pause();
            }
        } catch (SQLException e) {
            // not seen waiting: it may still be first, and is waited for all the same
        }
        return task;
    }

    /** Waits for a second session's statement; true when it created the view. */
    private static boolean succeeded(FutureTask<Void> task) {
        try {
            task.get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute(Connection on, String sql) throws SQLException {
        if (on == connection) {
            running.accept(sql);
        }
        try (Statement s = on.createStatement()) {
            s.execute(sql);
        }
    }

    private static String value(Connection on, String sql) throws SQLException {
        try (Statement s = on.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** A second session, with its connection id and the lock wait it was given. */
    private record Helper(Connection session, long id, long timeout) {
        /** A second session, or null when none is to be had (its view then follows right after the unlock). */
        static Helper open(Dialect.Sessions sessions, long timeout) {
            Connection session = null;
            try {
                session = sessions.open();
                long id = Long.parseLong(value(session, "SELECT CONNECTION_ID()"));
                try (Statement s = session.createStatement()) {
                    s.execute("SET SESSION lock_wait_timeout = " + timeout);
                }
                return new Helper(session, id, timeout);
            } catch (SQLException e) {
                if (session != null) {
                    closeQuietly(session);
                }
                return null;
            }
        }

        /** Gives the session back as it was. */
        void release() {
            try (Statement s = session.createStatement()) {
                s.execute("SET SESSION lock_wait_timeout = DEFAULT");
            } catch (SQLException ignored) {
                // the session is closed below either way
            }
            closeQuietly(session);
        }
    }

    private static void closeQuietly(Connection session) {
        try {
            session.close();
        } catch (SQLException ignored) {
            // nothing to give back
        }
    }
}
