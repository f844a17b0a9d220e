package dev.tandem.coordinator.state;

import java.util.List;

/**
 * A schema version as {@code migrate status} shows it beside a migration in flight: the version the migration builds
 * on, or its own. Whether it is served is what the dual-write library's guard decides at an instance's start.
 *
 * @param name          the migration that made it, or {@code base}
 * @param serving       {@code served}; {@code backfill_pending}, served only to applications that accept an
 *                      incomplete backfill until the backfill of its migration, or of one it builds on, finishes; or
 *                      {@code not_served}
 * @param role          how it is served, as the guard's messages say it ({@code current}, {@code old, until 'M' is
 *                      contracted}, {@code new, 'M' is expanded}, …), or why not ({@code removed, 'M' is
 *                      contracting}, {@code not made, 'M' is expanding}, …)
 * @param liveInstances its application instances whose heartbeat is at most the instance TTL old
 */
public record VersionStatus(String name, String serving, String role, List<LiveInstance> liveInstances) {
    public VersionStatus {
        liveInstances = List.copyOf(liveInstances);
    }
}
