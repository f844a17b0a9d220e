package dev.tandem.coordinator.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each {@code @TestTemplate} of the class that takes an {@link OnDatabase} once on PostgreSQL and once on
 * MariaDB. The test states its outcome on each: a cycle with its checks, or the refusal MariaDB gives
 * ({@link Cycle#refused}). A run that states nothing for its database fails, and a database that cannot be reached
 * fails the run: no test is ever skipped for want of a server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DatabaseMatrix.class)
public @interface BothDatabases {
}
