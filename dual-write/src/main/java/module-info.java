/**
 * The library an application embeds to pick its schema version. Internal packages are not exported.
 * HikariCP is optional: only {@code HikariSupport} uses it (its signatures name HikariConfig), and only
 * applications that have HikariCP call that class. Micrometer is optional the same way: only
 * {@code dev.tandem.dualwrite.metrics} uses it.
 */
module dev.tandem.dualwrite {
    requires transitive java.sql;
    requires dev.tandem.state;
    requires static com.zaxxer.hikari;
    requires static micrometer.core;

    exports dev.tandem.dualwrite;
    exports dev.tandem.dualwrite.metrics;
    exports dev.tandem.dualwrite.verify;
}
