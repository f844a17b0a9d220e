package dev.tandem.dualwrite.jdbi;

import dev.tandem.dualwrite.SchemaVersion;
import java.sql.SQLException;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.spi.JdbiPlugin;

/**
 * Pins every handle of a {@code Jdbi} to one schema version: each handle sets its connection to the version's
 * search_path (on MariaDB and MySQL: its database and {@code @tandem_version}) when it opens, whatever an earlier user of a pooled connection left on it. Install it
 * explicitly, with the version the {@link dev.tandem.dualwrite.PhaseGuard} returned:
 *
 * <pre>{@code
 * jdbi.installPlugin(new TandemJdbiPlugin(registration.version()));
 * }</pre>
 *
 * Costs one statement per handle. A pool configured with {@link dev.tandem.dualwrite.HikariSupport} pins its
 * connections once instead and needs no plugin.
 */
public final class TandemJdbiPlugin implements JdbiPlugin {
    private final SchemaVersion version;

    public TandemJdbiPlugin(SchemaVersion version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    public SchemaVersion version() {
        return version;
    }

    /** @throws IllegalStateException when {@code jdbi} is pinned to another version already */
    @Override
    public void customizeJdbi(Jdbi jdbi) {
        jdbi.getConfig(SchemaVersionConfig.class).pin(version);
    }

    /** Sets the version the Jdbi is pinned to, which is this plugin's unless {@link #customizeJdbi} refused it. */
    @Override
    public Handle customizeHandle(Handle handle) throws SQLException {
        SchemaVersion pinned = handle.getConfig(SchemaVersionConfig.class).version();
        pinned.applyTo(handle.getConnection());
        return handle;
    }

    /** Equal for the same version, so installing the plugin twice installs it once. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TandemJdbiPlugin && ((TandemJdbiPlugin) other).version.equals(version);
    }

    @Override
    public int hashCode() {
        return version.hashCode();
    }
}
