/**
 * Tandem's state tables, owned once: the coordinator, the dual-write library and the Liquibase module read and
 * write them through this module. JDBC only.
 */
module dev.tandem.state {
    requires transitive java.sql;

    exports dev.tandem.state;
}
