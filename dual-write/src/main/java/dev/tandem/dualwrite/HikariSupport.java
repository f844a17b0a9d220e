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
     * Sets the pool's connection init SQL to {@code version}'s {@link SchemaVersion#initSql() init SQL}, and on
     * MariaDB and MySQL its catalog to the version's database, before the pool is built from {@code config}:
     * every new connection then runs on the version, at no cost per borrow (HikariCP sets the catalog back on
     * a connection that comes back with another one).
     *
     * @return {@code config}
     * @throws IllegalArgumentException when {@code config} already has other connection init SQL or another
     *                                  catalog, which this must not replace: put {@link SchemaVersion#initSql()}
     *                                  into it yourself
     */
    public static HikariConfig configure(HikariConfig config, SchemaVersion version) {
        String sql = version.initSql();
        String existing = config.getConnectionInitSql();
        if (existing != null && !existing.isBlank() && !existing.equals(sql)) {
            throw new IllegalArgumentException("pool " + config.getPoolName() + " already has connection init SQL; "
                    + "add SchemaVersion.initSql() (" + sql + ") to it yourself");
        }
        if (version.isDatabase()) {
            String catalog = config.getCatalog();
            if (catalog != null && !catalog.equals(version.catalog())) {
                throw new IllegalArgumentException("pool " + config.getPoolName() + " already uses catalog '"
                        + catalog + "', but version '" + version.name() + "' is the database '" + version.catalog()
                        + "'; leave the pool's catalog unset");
            }
            config.setCatalog(version.catalog());
        }
        config.setConnectionInitSql(sql);
        return config;
    }
}
