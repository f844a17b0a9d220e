/**
 * Spring Boot auto-configuration of the dual-write library. JDBC, health and HikariCP support are optional, as
 * in the POM: each part loads only when the application has them. Spring reflects on the configuration classes.
 * Spring's jars are automatic modules with stable names (Automatic-Module-Name).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.tandem.dualwrite.spring {
    requires transitive dev.tandem.dualwrite;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires spring.beans;
    requires spring.context;
    requires spring.core;
    requires static com.zaxxer.hikari;
    requires static spring.boot.health;
    requires static spring.boot.jdbc;
    requires static spring.jdbc;

    exports dev.tandem.dualwrite.spring;

    opens dev.tandem.dualwrite.spring to spring.beans, spring.context, spring.core;
}
