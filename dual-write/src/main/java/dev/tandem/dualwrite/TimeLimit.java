package dev.tandem.dualwrite;

import dev.tandem.state.Jdbc.Work;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs database work on its own daemon thread and gives up after a fixed time, so a pool waiting for a
 * connection or a statement waiting for a lock cannot hold up an application's start for long.
 */
final class TimeLimit {
    private TimeLimit() {
    }

    /**
     * @param what    what the work does, for messages ("checking schema version 'x' of schema 'public'")
     * @param version the version the application wants, carried by the exception
     * @throws PhaseGuardException when the work fails with an SQLException or does not finish in time
     */
    static <T> T run(Duration limit, String what, String version, Work<T> work) {
        Callable<T> callable = work::run;
        FutureTask<T> task = new FutureTask<>(callable);
        Thread thread = new Thread(task, "tandem-phase-guard");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new PhaseGuardException(version, what + " did not finish within " + limit.toMillis() + " ms: is "
                    + "the database reachable, and is no lock held on Tandem's state tables?", e);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new PhaseGuardException(version, what + " was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException) {
                throw new PhaseGuardException(version, what + " failed: " + cause.getMessage(), cause);
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw (Error) cause;
        }
    }
}
