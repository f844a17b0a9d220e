package dev.tandem.dualwrite.jdbi;

import dev.tandem.dualwrite.SchemaVersion;
import org.jdbi.v3.core.config.JdbiConfig;

/**
 * The schema version a {@code Jdbi} and its handles are pinned to, set by {@link TandemJdbiPlugin}:
 * {@code handle.getConfig(SchemaVersionConfig.class).version()}.
 */
public final class SchemaVersionConfig implements JdbiConfig<SchemaVersionConfig> {
    private SchemaVersion version;

    public SchemaVersionConfig() {
    }

    private SchemaVersionConfig(SchemaVersionConfig other) {
        this.version = other.version;
    }

    /** The version, or null when no {@link TandemJdbiPlugin} is installed. */
    public SchemaVersion version() {
        return version;
    }

    void pin(SchemaVersion version) {
        if (this.version != null && !this.version.equals(version)) {
            throw new IllegalStateException("this Jdbi is already pinned to schema version '" + this.version.name()
                    + "'; one Jdbi cannot run on two versions, create another for '" + version.name() + "'");
        }
        this.version = version;
    }

    @Override
    public SchemaVersionConfig createCopy() {
        return new SchemaVersionConfig(this);
    }
}
