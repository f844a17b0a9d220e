package dev.tandem.coordinator.state;

import java.time.Instant;

/**
 * An application instance whose heartbeat Tandem saw recently, from the registry the dual-write library's
 * {@code PhaseGuard} keeps.
 *
 * @param version the migration the instance was built for, or {@code base}
 */
public record LiveInstance(String id, String version, String host, Instant startedAt, Instant lastSeen) {

    /** For messages: host, version and last heartbeat. */
    public String describe() {
        return host + " (version " + version + ", last seen " + lastSeen + ")";
    }
}
