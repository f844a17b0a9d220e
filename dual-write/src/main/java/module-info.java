/**
 * The library an application embeds to pick its schema version. Internal packages are not exported.
 * HikariCP is optional: only {@code HikariSupport} uses it (its signatures name HikariConfig), and only
 * applications that have HikariCP call that class.
 */
module dev.tandem.dualwrite {
    requires transitive java.sql;
    requires static com.zaxxer.hikari;

    exports dev.tandem.dualwrite;
    exports dev.tandem.dualwrite.verify;
}
