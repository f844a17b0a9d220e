package dev.tandem.state;

import java.time.Instant;

/**
 * One application instance in the registry.
 *
 * @param version   the migration the instance was built for, or {@code base}
 * @param startedAt null until the row is first written; the database's clock sets it then
 * @param lastSeen  its last heartbeat, by the database's clock; null in a row about to be written
 */
public record InstanceRow(String id, String targetSchema, String version, String host, Instant startedAt,
                          Instant lastSeen) {
}
