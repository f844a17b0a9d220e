package dev.tandem.it;

import static dev.tandem.it.OrdersApp.CHANNEL_MIGRATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.state.HistoryEntry;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.dualwrite.PhaseGuardException;
import dev.tandem.state.InstanceRegistry;
import dev.tandem.state.InstanceRow;
import dev.tandem.state.StateSchema;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A rolling deploy of the orders service from V1 to V2 across {@code it_guard_order_channel}, on PostgreSQL and
 * on MariaDB: the phase guard lets each build start only while the database offers its version, contract waits
 * for the last V1 instance to stop, and rollback for the last V2 instance.
 */
@ParameterizedClass
@EnumSource(AppDatabase.Kind.class)
class RollingDeployTest {
    @Parameter
    AppDatabase.Kind kind;

    private AppDatabase db;
    private Tandem tandem;

    @BeforeEach
    void createShop() {
        db = kind.create();
        tandem = db.tandem();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private void expandAndBackfill() {
        tandem.expand(db.migration(CHANNEL_MIGRATION));
        tandem.backfill(CHANNEL_MIGRATION, BackfillListener.NONE);
    }

    private static List<String> hosts(List<LiveInstance> instances) {
        return instances.stream().map(LiveInstance::host).toList();
    }

    @Test
    void v1ToV2() {
        assertThatThrownBy(() -> new OrdersApp.V2(db, "v2-too-early")).isInstanceOf(PhaseGuardException.class)
                .hasMessage("this build is for schema version 'it_guard_order_channel' of schema '" + db.schema()
                        + "', which the database does not offer: it offers 'base' (current). The database has never "
                        + "heard of version 'it_guard_order_channel'. To start this build, run `migrate expand <file "
                        + "of it_guard_order_channel>` first.");

        try (OrdersApp.V1 v1a = new OrdersApp.V1(db, "v1-a"); OrdersApp.V1 v1b = new OrdersApp.V1(db, "v1-b")) {
            long before = v1a.placeOrder(1, 1, 2);
            expandAndBackfill();
            try (OrdersApp.V2 v2a = new OrdersApp.V2(db, "v2-a"); OrdersApp.V2 v2b = new OrdersApp.V2(db, "v2-b")) {
                assertThat(v1a.schemas()).isEqualTo(db.where("base"));
                assertThat(v2a.schemas()).isEqualTo(db.where(CHANNEL_MIGRATION));
                assertThat(v2b.version()).isEqualTo(db.version(CHANNEL_MIGRATION));

                // both builds serve reads and writes, each in its own shape
                long fromV1 = v1b.placeOrder(2, 3, 1);
                long fromV2 = v2b.placeOrder(4, 5, 3);
                assertThat(v2a.channel(before)).isEqualTo("web");
                assertThat(v2a.channel(fromV1)).isEqualTo("web");
                assertThat(v2a.channel(fromV2)).isEqualTo("app");
                assertThat(v1a.describe(fromV2)).isEqualTo("3 x product 5");

                Map<String, List<LiveInstance>> live = tandem.liveInstances();
                assertThat(live.keySet()).containsExactly("base", CHANNEL_MIGRATION);
                assertThat(hosts(live.get("base"))).containsExactly("v1-a", "v1-b");
                assertThat(hosts(live.get(CHANNEL_MIGRATION))).containsExactly("v2-a", "v2-b");

                assertThatThrownBy(() -> tandem.contract(CHANNEL_MIGRATION)).isInstanceOf(StateConflictException.class)
                        .hasMessageStartingWith("migration 'it_guard_order_channel': contract removes version 'base', "
                                + "and 2 instance(s) of it sent a heartbeat within the last 60 s: v1-a (version base, "
                                + "last seen ")
                        .hasMessageContaining(", v1-b (version base, last seen ")
                        .hasMessageEndingWith(". Stop them (deploy the build for 'it_guard_order_channel' everywhere) "
                                + "and contract again, or force the contract if they are gone for good");
                assertThat(db.phase(CHANNEL_MIGRATION)).isEqualTo("expanded");

                v1a.close();
                assertThatThrownBy(() -> tandem.contract(CHANNEL_MIGRATION)).hasMessageContaining("1 instance(s)")
                        .hasMessageContaining("v1-b");
                v1b.close();
                assertThat(tandem.contract(CHANNEL_MIGRATION).phase()).isEqualTo("complete");

                assertThatThrownBy(() -> new OrdersApp.V1(db, "v1-late")).isInstanceOf(PhaseGuardException.class)
                        .hasMessage("this build is for schema version 'base' of schema '" + db.schema() + "', which "
                                + "the database does not offer: it offers 'it_guard_order_channel' (current). "
                                + "Migration 'it_guard_order_channel' is complete, so the unmigrated schema is gone: "
                                + "deploy a newer build (for version 'it_guard_order_channel').");

                long afterContract = v2a.placeOrder(6, 7, 1);
                assertThat(v2b.channel(afterContract)).isEqualTo("app");
                assertThat(hosts(tandem.liveInstances().get(CHANNEL_MIGRATION))).containsExactly("v2-a", "v2-b");
            }
        }
        assertThat(tandem.liveInstances()).isEmpty();
    }

    @Test
    void forcedContractIsRecordedInThePhaseHistory() {
        try (OrdersApp.V1 v1 = new OrdersApp.V1(db, "v1-stuck")) {
            assertThat(v1.schemas()).isEqualTo(db.where("base"));
            expandAndBackfill();

            assertThat(tandem.contract(CHANNEL_MIGRATION, InstanceCheck.FORCE).phase()).isEqualTo("complete");
            assertThat(historyDetail("contract started")).startsWith("forced; live instances of version 'base': "
                    + "v1-stuck (version base, last seen ");
        }
    }

    @Test
    void rollbackWaitsForTheLastV2InstanceToStop() {
        try (OrdersApp.V1 v1 = new OrdersApp.V1(db, "v1-a")) {
            expandAndBackfill();
            try (OrdersApp.V2 v2 = new OrdersApp.V2(db, "v2-canary")) {
                long fromV2 = v2.placeOrder(1, 2, 1);
                assertThatThrownBy(() -> tandem.rollback(CHANNEL_MIGRATION)).isInstanceOf(StateConflictException.class)
                        .hasMessageStartingWith("migration 'it_guard_order_channel': rollback removes version "
                                + "'it_guard_order_channel', and 1 instance(s) of it sent a heartbeat within the last "
                                + "60 s: v2-canary (version it_guard_order_channel, last seen ")
                        .hasMessageEndingWith(". Stop them (deploy the build for 'base' everywhere) and roll back "
                                + "again, or force the rollback if they are gone for good");
                assertThat(db.phase(CHANNEL_MIGRATION)).isEqualTo("expanded");
                assertThat(v2.channel(fromV2)).isEqualTo("app");
            }
            assertThat(tandem.rollback(CHANNEL_MIGRATION).phase()).isEqualTo("rolled_back");
            assertThat(historyDetail("rollback started")).isNull();
            assertThat(v1.describe(v1.placeOrder(3, 4, 2))).isEqualTo("2 x product 4");
            assertThatThrownBy(() -> new OrdersApp.V2(db, "v2-late")).isInstanceOf(PhaseGuardException.class)
                    .hasMessageContaining("Migration 'it_guard_order_channel' was rolled back");
        }
    }

    @Test
    void forcedRollbackIsRecordedInThePhaseHistory() {
        expandAndBackfill();
        try (OrdersApp.V2 v2 = new OrdersApp.V2(db, "v2-stuck")) {
            assertThat(v2.schemas()).isEqualTo(db.where(CHANNEL_MIGRATION));
            assertThat(tandem.rollback(CHANNEL_MIGRATION, InstanceCheck.FORCE).phase()).isEqualTo("rolled_back");
            assertThat(historyDetail("rollback started")).startsWith("forced; live instances of version "
                    + "'it_guard_order_channel': v2-stuck (version it_guard_order_channel, last seen ");
        }
    }

    @Test
    void instanceWhoseHeartbeatIsOlderThanTheTtlDoesNotHoldUpContract() {
        try (OrdersApp.V1 v1 = new OrdersApp.V1(db, "v1-crashed")) {
            assertThat(v1.schemas()).isEqualTo(db.where("base"));
        }
        expandAndBackfill();
        // what a crashed instance leaves: a row nobody refreshes (a running instance would refresh it within a
        // second, possibly before contract reads it)
        db.insertCrashedInstance("v1-crashed", "base", 61);

        assertThat(tandem.liveInstances()).isEmpty();
        assertThat(tandem.contract(CHANNEL_MIGRATION).phase()).isEqualTo("complete");
    }

    @Test
    void contractOfTheNextMigrationWaitsForInstancesOfThePreviousOne() {
        expandAndBackfill();
        tandem.contract(CHANNEL_MIGRATION);
        try (OrdersApp.V2 v2 = new OrdersApp.V2(db, "v2-a")) {
            tandem.expand(db.migration("it_guard_order_note_length"));
            tandem.backfill("it_guard_order_note_length", BackfillListener.NONE);

            assertThat(v2.schemas()).isEqualTo(db.where(CHANNEL_MIGRATION));
            assertThatThrownBy(() -> tandem.contract("it_guard_order_note_length"))
                    .hasMessageStartingWith("migration 'it_guard_order_note_length': contract removes version "
                            + "'it_guard_order_channel', and 1 instance(s) of it sent a heartbeat within the last "
                            + "60 s: v2-a (version it_guard_order_channel, last seen ");
        }
        assertThat(tandem.contract("it_guard_order_note_length").phase()).isEqualTo("complete");
    }

    @Test
    void contractWaitsForAnInstanceInTheMiddleOfItsStartAndThenSeesIt() throws Exception {
        expandAndBackfill();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (Connection starting = db.connect()) {
            // what PhaseGuard.start does in its one transaction, the registry table being there already: lock
            // the registry, check (the old version is still offered), register
            StateSchema state = StateSchema.on(starting, "tandem", 10);
            state.createRegistry(starting);
            InstanceRegistry registry = new InstanceRegistry(state);
            starting.setAutoCommit(false);
            registry.lockShared(starting);
            registry.heartbeat(starting, new InstanceRow(db.schema() + "/racer", db.schema(), "base", "v1-racing", null,
                    null));

            Future<PhaseResult> contract = runner.submit(() -> tandem.contract(CHANNEL_MIGRATION));
            awaitTrue(() -> db.value(db.registryLockWaitsSql()).equals("1"));
            starting.commit();

            assertThatThrownBy(contract::get).hasCauseInstanceOf(StateConflictException.class)
                    .hasMessageContaining("1 instance(s) of it sent a heartbeat").hasMessageContaining("v1-racing");
        } finally {
            runner.shutdownNow();
        }
        assertThat(db.phase(CHANNEL_MIGRATION)).isEqualTo("expanded");
    }

    @Test
    void anInstanceStartingWhileContractBeginsSeesThatItHasBegun() throws Exception {
        expandAndBackfill();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (Connection contract = db.connect(); Statement s = contract.createStatement()) {
            // what contract does in its first transaction: lock the registry, find no instance, set its phase
            contract.setAutoCommit(false);
            s.executeQuery(db.lockRegistrySql()).close();
            s.executeUpdate("UPDATE tandem.migrations SET phase = 'contracting' WHERE target_schema = '" + db.schema()
                    + "' AND name = '" + CHANNEL_MIGRATION + "'");

            Future<OrdersApp.V1> starting = runner.submit(() -> new OrdersApp.V1(db, "v1-late"));
            awaitTrue(() -> db.value(db.registryLockWaitsSql()).equals("1"));
            contract.commit();

            assertThatThrownBy(starting::get).hasCauseInstanceOf(PhaseGuardException.class)
                    .hasMessageContaining("The contract of migration 'it_guard_order_channel' has begun and removes "
                            + "version 'base': deploy a newer build (for version 'it_guard_order_channel').");
        } finally {
            runner.shutdownNow();
        }
        assertThat(tandem.liveInstances()).isEmpty();
    }

    /** The detail of the migration's first history entry {@code event}. */
    private String historyDetail(String event) {
        HistoryEntry entry = tandem.status().get(0).history().stream().filter(e -> e.event().equals(event))
                .findFirst().orElseThrow();
        return entry.detail();
    }

    /** Waits for another session to get somewhere; the limit only keeps a broken test from hanging. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
