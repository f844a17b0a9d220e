package dev.tandem.coordinator;

/** What kind of failure a {@link TandemException} is, for a caller that maps failures to exit codes. */
public enum ExitKind {
    /** A statement failed, the database could not be reached or is not supported, or a lock was not taken. */
    DATABASE,
    /** The migration file, an option or an argument is wrong, or the data does not fit it. */
    BAD_INPUT,
    /** The request does not fit the recorded state: wrong phase, changed file, another run holds the lock. */
    STATE_CONFLICT,
    /** A command the caller runs around a phase (a hook of the CLI) failed or timed out. */
    HOOK
}
