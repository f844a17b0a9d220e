package dev.tandem.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstanceRegistrationTest {
    private TestDatabase db;
    private DataSource dataSource;

    @BeforeEach
    void createShop() {
        db = TestDatabase.create();
        db.execute(Examples.shop());
        dataSource = db.pool();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private String row(String instanceId) {
        return db.value("SELECT target_schema || '|' || version || '|' || host || '|' || (started_at <= last_seen) "
                + "FROM tandem.instances WHERE instance_id = '" + instanceId + "'");
    }

    @Test
    void registersOnStartAndLeavesOnClose() {
        PhaseGuard guard = PhaseGuard.builder("base").host("app-1").heartbeatInterval(Duration.ofHours(1)).build();
        try (InstanceRegistration registration = guard.start(dataSource)) {
            assertThat(registration.version().searchPath()).containsExactly("public");
            assertThat(registration.host()).isEqualTo("app-1");
            assertThat(row(registration.instanceId())).isEqualTo("public|base|app-1|true");

            registration.close();
            assertThat(row(registration.instanceId())).isNull();
        }
    }

    @Test
    void twoInstancesOnOneMachineHaveTheirOwnNames() {
        PhaseGuard guard = PhaseGuard.builder("base").heartbeatInterval(Duration.ofHours(1)).build();
        try (InstanceRegistration registration = guard.start(dataSource)) {
            assertThat(registration.host()).endsWith(":" + ProcessHandle.current().pid())
                    .doesNotStartWith(":");
        }
    }

    @Test
    void heartbeatRefreshesLastSeenAndWritesTheRowAgainWhenItWasDeleted() {
        PhaseGuard guard = PhaseGuard.builder("base").heartbeatInterval(Duration.ofMillis(50)).build();
        try (InstanceRegistration registration = guard.start(dataSource)) {
            String id = registration.instanceId();
            db.execute("UPDATE tandem.instances SET last_seen = last_seen - interval '1 hour' WHERE instance_id = '"
                    + id + "'");
            awaitTrue(() -> "t".equals(db.value("SELECT last_seen > now() - interval '10 minutes' FROM "
                    + "tandem.instances WHERE instance_id = '" + id + "'")));

            db.execute("DELETE FROM tandem.instances");
            awaitTrue(() -> row(id) != null);
            assertThat(db.value("SELECT started_at = '" + registration.startedAt() + "'::timestamptz FROM "
                    + "tandem.instances")).as("the start time survives").isEqualTo("t");
        }
    }

    @Test
    void refusedStartRegistersNothing() {
        PhaseGuard guard = PhaseGuard.builder("add_display_name").build();
        assertThatThrownBy(() -> guard.start(dataSource)).isInstanceOf(PhaseGuardException.class);
        assertThat(db.value("SELECT to_regclass('tandem.instances') IS NULL")).isEqualTo("t");
    }

    @Test
    void instancesOfEveryVersionShareTheRegistry() {
        try (InstanceRegistration a = PhaseGuard.builder("base").host("a").build().start(dataSource);
             InstanceRegistration b = PhaseGuard.builder("base").host("b").build().start(dataSource)) {
            assertThat(a.instanceId()).isNotEqualTo(b.instanceId());
            assertThat(db.rows("SELECT host FROM tandem.instances ORDER BY host")).containsExactly("a", "b");
        }
        assertThat(db.value("SELECT count(*) FROM tandem.instances")).isEqualTo("0");
    }

    /** Waits for a heartbeat to have done its work; the limit is only a guard against hanging forever. */
    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("heartbeat did not come within 30 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
