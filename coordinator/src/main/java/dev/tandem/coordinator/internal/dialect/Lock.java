package dev.tandem.coordinator.internal.dialect;

/**
 * The lock a statement takes and what that means for the application.
 *
 * @param mode          the database's name for the lock, e.g. "ACCESS EXCLUSIVE"
 * @param blocksWrites  whether application writes wait while it is held (the lock timeout guards these)
 * @param effect        what it blocks and for how long, in words
 */
public record Lock(String mode, boolean blocksWrites, String effect) {
}
