package dev.tandem.dualwrite.internal;

import java.time.Instant;

/**
 * One application instance in the registry.
 *
 * @param startedAt null until the row is first written; the database's clock sets it then
 */
public record InstanceRow(String id, String targetSchema, String version, String host, Instant startedAt) {
}
