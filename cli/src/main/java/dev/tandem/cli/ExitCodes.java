package dev.tandem.cli;

import dev.tandem.coordinator.ExitKind;
import dev.tandem.coordinator.TandemException;
import picocli.CommandLine.ParameterException;

/** What {@code migrate} exits with, so scripts can tell a retryable failure from a mistake. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A statement failed, the database could not be reached, or a lock was not taken within the retries. */
    public static final int DATABASE = 1;
    /**
     * {@code migrate verify} only: it found problems. Verify reports every failure of its own (a database it
     * cannot reach included) as {@link #BAD_INPUT}, so 1 from verify always means findings.
     */
    public static final int FINDINGS = 1;
    /**
     * The migration file, an option or an argument is wrong, or the data does not fit it. Found before any change,
     * or during expand (which then undoes its own steps); a contract validation that fails on existing rows
     * leaves the migration contracting, to be rolled back or continued.
     */
    public static final int BAD_INPUT = 2;
    /** The request does not fit the recorded state: wrong phase, changed file, another run holds the lock. */
    public static final int STATE_CONFLICT = 3;
    /** A bug in Tandem. */
    public static final int INTERNAL = 4;
    /** {@code verify-data} found keys whose old and new shapes differ. */
    public static final int DRIFT = 5;
    /**
     * A hook failed (non-zero exit, timeout): a pre- hook stopped its phase before anything changed; after a
     * post- hook the phase is done.
     */
    public static final int HOOK = 6;

    /** The exit codes as the {@code --help} footer lists them. */
    static final String HELP = "%nExit codes:%n"
            + "  " + OK + "  done%n"
            + "  " + DATABASE + "  database failure, or a lock not taken within the retries (verify: findings)%n"
            + "  " + BAD_INPUT + "  bad input (migration file, option, argument, or data that breaks it);%n"
            + "     expand undoes its own steps, a failed contract validation can be rolled back%n"
            + "  " + STATE_CONFLICT + "  state conflict: wrong phase, changed migration file, run lock held%n"
            + "  " + INTERNAL + "  internal error%n"
            + "  " + DRIFT + "  verify-data: the old and the new shape differ%n"
            + "  " + HOOK + "  a hook failed: before a phase, nothing changed; after it, the phase is done%n"
            + "  verify exits 0 clean, 1 findings, 2 bad input or any failure of its own";

    private ExitCodes() {
    }

    /** What a failure of {@code migrate verify} exits with: never 1, which means findings there. */
    static int ofVerify(Throwable failure) {
        return of(failure) == OK ? OK : BAD_INPUT;
    }

    public static int of(Throwable failure) {
        if (failure instanceof ParameterException) {
            return BAD_INPUT;
        }
        return failure instanceof TandemException tandem ? of(tandem.exitKind()) : INTERNAL;
    }

    static int of(ExitKind kind) {
        return switch (kind) {
            case DATABASE -> DATABASE;
            case BAD_INPUT -> BAD_INPUT;
            case STATE_CONFLICT -> STATE_CONFLICT;
            case HOOK -> HOOK;
        };
    }
}
