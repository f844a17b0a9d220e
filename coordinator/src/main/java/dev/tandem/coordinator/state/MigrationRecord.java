package dev.tandem.coordinator.state;

import java.time.Instant;

/**
 * One migration's row in the state tables.
 *
 * @param definition            the migration file as it was applied, so any machine can continue it
 * @param snapshot              the catalog before expand, as JSON
 * @param previousVersionSchema the version schema the old application uses, dropped at contract; may be null
 */
public record MigrationRecord(String targetSchema, String name, String source, String checksum, Phase phase,
                              String definition, String snapshot, String versionSchema,
                              String previousVersionSchema, Instant createdAt, Instant updatedAt) {
}
