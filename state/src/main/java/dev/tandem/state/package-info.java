/**
 * Tandem's state tables, owned once for every module that reads or writes them: their names and layout
 * ({@link dev.tandem.state.StateSchema}), the lock keys ({@link dev.tandem.state.StateLocks}), the instance registry,
 * what applications read of migrations and phases, the record of Liquibase changelogs, and the JDBC plumbing they
 * share. Depends on JDBC only.
 */
package dev.tandem.state;
