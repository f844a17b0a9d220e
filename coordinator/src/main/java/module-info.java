/**
 * Tandem's coordinator. The exported packages are the API: {@code Tandem}, its configuration, results and
 * exceptions, the migration and fleet models, state values and verify. Everything under {@code internal} is
 * exported only to the Tandem modules that build on it (the CLI, the Maven goal, Liquibase interop), and opened
 * to Jackson where it binds files to private records. Those modules are built after this one, hence "module".
 */
@SuppressWarnings("module")
module dev.tandem.coordinator {
    requires transitive java.sql;
    requires dev.tandem.state;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires com.zaxxer.hikari;
    requires org.yaml.snakeyaml;

    exports dev.tandem.coordinator;
    exports dev.tandem.coordinator.fleet;
    exports dev.tandem.coordinator.migration;
    exports dev.tandem.coordinator.state;
    exports dev.tandem.coordinator.verify;

    exports dev.tandem.coordinator.internal.dialect.mariadb to dev.tandem.cli;
    exports dev.tandem.coordinator.internal.engine to dev.tandem.liquibase;
    exports dev.tandem.coordinator.internal.files to dev.tandem.cli;
    exports dev.tandem.coordinator.internal.sql to dev.tandem.cli, dev.tandem.liquibase, dev.tandem.maven;
    exports dev.tandem.coordinator.internal.verify to dev.tandem.liquibase;

    opens dev.tandem.coordinator.fleet to com.fasterxml.jackson.databind;
    opens dev.tandem.coordinator.migration to com.fasterxml.jackson.databind;
    opens dev.tandem.coordinator.internal.operation to com.fasterxml.jackson.databind;
    opens dev.tandem.coordinator.internal.schema to com.fasterxml.jackson.databind;
}
