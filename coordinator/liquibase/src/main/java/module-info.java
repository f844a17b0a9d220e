/**
 * Phase-labelled Liquibase changelogs run under Tandem's run lock, lock timeouts and state. Liquibase and the
 * PostgreSQL driver are automatic modules with stable names (Automatic-Module-Name).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.tandem.liquibase {
    requires transitive dev.tandem.coordinator;
    requires dev.tandem.state;
    requires transitive liquibase.core;
    requires org.postgresql.jdbc;
    requires java.naming; // PGSimpleDataSource implements javax.naming.Referenceable

    exports dev.tandem.liquibase;

    provides liquibase.change.Change with dev.tandem.liquibase.TandemMigrationChange;
}
