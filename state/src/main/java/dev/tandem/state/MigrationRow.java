package dev.tandem.state;

/**
 * One migration as Tandem's coordinator recorded it for a schema.
 *
 * @param phase                 the coordinator's phase label: expanding, expanded, contracting, complete,
 *                              rolling_back or rolled_back
 * @param source                the file the migration was applied from
 * @param previousVersionSchema the old version's schema of views; null when the old version is the unmigrated
 *                              schema itself
 * @param backfilled            whether a backfill finished after the migration's latest expand (or its expand
 *                              found nothing to backfill)
 */
public record MigrationRow(String name, String phase, String source, String versionSchema,
                           String previousVersionSchema, boolean backfilled) {
}
