package dev.tandem.dualwrite;

/**
 * Where one migration stands, as the application sees it.
 *
 * @param migration     the migration's name
 * @param recordedPhase the coordinator's phase (expanding, expanded, contracting, contracted_kept, complete,
 *                      rolling_back, rolled_back), or {@code "none"} when the database has no record of the migration
 * @param backfilled    whether a backfill finished after the migration's latest expand
 * @param dualWrite     what to read and write
 */
public record MigrationPhase(String migration, String recordedPhase, boolean backfilled, DualWritePhase dualWrite) {
    /** The recorded phase of a migration the database has no record of. */
    public static final String NONE = "none";
}
