package dev.tandem.dualwrite;

import java.util.List;

/**
 * The application must not start: the database does not offer the schema version it was built for, or its
 * state could not be read in time. The message says which versions the database offers, which one the
 * application wants and what to do; it is meant to be shown to whoever deploys as it is.
 */
public final class PhaseGuardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String wantedVersion;
    private final List<String> offeredVersions;

    PhaseGuardException(String wantedVersion, List<String> offeredVersions, String message) {
        super(message);
        this.wantedVersion = wantedVersion;
        this.offeredVersions = List.copyOf(offeredVersions);
    }

    PhaseGuardException(String wantedVersion, String message, Throwable cause) {
        super(message, cause);
        this.wantedVersion = wantedVersion;
        this.offeredVersions = List.of();
    }

    /** The version the application was built for. */
    public String wantedVersion() {
        return wantedVersion;
    }

    /** The versions the database offers; empty when its state could not be read. */
    public List<String> offeredVersions() {
        return offeredVersions;
    }
}
