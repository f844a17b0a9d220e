package dev.tandem.dualwrite;

import com.zaxxer.hikari.HikariConfig;

/**
 * Puts every connection of a HikariCP pool on one schema version. Needs HikariCP on the class path, which
 * this library does not bring along.
 */
public final class HikariSupport {
    private HikariSupport() {
    }

    /**
     * Sets the pool's connection init SQL to {@code version}'s {@code SET search_path}, before the pool is
     * built from {@code config}: every new connection then runs on the version, at no cost per borrow.
     *
     * @return {@code config}
     * @throws IllegalArgumentException when {@code config} already has other connection init SQL, which
     *                                  this must not replace: put {@link SchemaVersion#setSearchPathSql()} into
     *                                  it yourself
     */
    public static HikariConfig configure(HikariConfig config, SchemaVersion version) {
        String sql = version.setSearchPathSql();
        String existing = config.getConnectionInitSql();
        if (existing != null && !existing.isBlank() && !existing.equals(sql)) {
            throw new IllegalArgumentException("pool " + config.getPoolName() + " already has connection init SQL; "
                    + "add SchemaVersion.setSearchPathSql() (" + sql + ") to it yourself");
        }
        config.setConnectionInitSql(sql);
        return config;
    }
}
