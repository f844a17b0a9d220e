package dev.tandem.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.state.LiveInstance;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.coordinator.state.VersionStatus;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.RecordedStack;
import dev.tandem.coordinator.testing.TestDatabase;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two migrations in flight, B's version built on A's (base → A → A+B), on PostgreSQL and MariaDB: the guard accepts
 * every version still served and waits for the backfills a version builds on; the registry keeps instances per
 * version; contract of A is held up by instances of base only, rollback of B by instances of B only; status shows
 * each migration's versions. A phase no step of a test reaches is recorded with {@link RecordedStack}.
 */
@ParameterizedClass
@EnumSource(StackedVersionsGuardTest.Server.class)
class StackedVersionsGuardTest {
    enum Server { POSTGRESQL, MARIADB }

    private static final String A = "stack_a";
    private static final String B = "stack_b";

    @Parameter
    Server server;

    private AutoCloseable db;
    private Tandem tandem;
    private RecordedStack stack;
    private DataSource pool;
    private String schema;

    @BeforeEach
    void expandAStackOfTwo() {
        if (server == Server.POSTGRESQL) {
            TestDatabase pg = TestDatabase.create();
            pg.execute(Examples.shop());
            db = pg;
            tandem = pg.tandem();
            stack = new RecordedStack(tandem, pg);
            pool = pg.pool();
            schema = "public";
        } else {
            MariaDbTestDatabase maria = MariaDbTestDatabase.create();
            maria.execute(Examples.MARIADB_SHOP);
            db = maria;
            tandem = maria.tandem();
            stack = new RecordedStack(tandem, maria);
            pool = maria.pool(null, 2);
            schema = maria.name();
        }
        tandem.expand(Examples.inline(A,
                "{add_column: {table: customers, column: {name: nickname, type: varchar(50)}, up: first_name}}"));
        tandem.expand(Examples.inline(B,
                "{add_column: {table: orders, column: {name: gift_note, type: varchar(50)}, up: note}}"));
    }

    @AfterEach
    void dropDatabase() throws Exception {
        db.close();
    }

    private PhaseGuard guard(String version) {
        return PhaseGuard.builder(version).schema(schema).host(version + "-1").build();
    }

    private SchemaVersion check(String version) {
        return guard(version).check(pool);
    }

    /** How a version's connections reach it: its search_path's first schema, or its database. */
    private String route(String version) {
        SchemaVersion resolved = check(version);
        return resolved.isDatabase() ? resolved.catalog() : resolved.searchPath().get(0);
    }

    private String versionSchema(String migration) {
        return server == Server.POSTGRESQL ? "public_" + migration : schema + "__" + migration;
    }

    @Test
    void everyVersionOfTheStackIsServedOnceTheBackfillsItBuildsOnHaveFinished() {
        assertThat(route("base")).isEqualTo(schema);
        assertThatThrownBy(() -> check(B)).isInstanceOf(PhaseGuardException.class)
                .hasMessage("this build is for schema version 'stack_b' of schema '" + schema + "', which builds on "
                        + "migration 'stack_a' and is the new version of migration 'stack_b'; the backfill of "
                        + "'stack_a' and 'stack_b' has not finished: rows they have not reached yet show this version "
                        + "NULL in new columns, and Tandem refuses this version's writes that depend on them. Run "
                        + "`migrate backfill stack_a` and `migrate backfill stack_b` to the end, then start this "
                        + "build; or, to start it before that on purpose, accept an incomplete backfill "
                        + "(PhaseGuard.Builder.acceptIncompleteBackfill(true), in Spring Boot "
                        + "tandem.accept-incomplete-backfill=true).")
                .satisfies(e -> assertThat(((PhaseGuardException) e).offeredVersions())
                        .containsExactly("base", A, B));
        assertThat(PhaseGuard.builder(B).schema(schema).acceptIncompleteBackfill(true).build().check(pool).name())
                .isEqualTo(B);

        tandem.backfill(B, BackfillListener.NONE);
        assertThat(guard(A).phases().inFlight(pool)).extracting(MigrationPhase::migration, MigrationPhase::dualWrite)
                .containsExactly(tuple(A, DualWritePhase.READ_OLD_WRITE_BOTH),
                        tuple(B, DualWritePhase.READ_NEW_WRITE_BOTH));
        assertThatThrownBy(() -> check(B)).isInstanceOf(PhaseGuardException.class)
                .hasMessageContaining("which builds on migration 'stack_a'; the backfill of 'stack_a' has not "
                        + "finished: rows it has not reached yet show this version NULL in new columns")
                .hasMessageContaining("Run `migrate backfill stack_a` to the end");

        tandem.backfill(A, BackfillListener.NONE);
        assertThat(route("base")).isEqualTo(schema);
        assertThat(route(A)).isEqualTo(versionSchema(A));
        assertThat(route(B)).isEqualTo(versionSchema(B));
        assertThatThrownBy(() -> check("stack_c")).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("it offers 'base' (old, until 'stack_a' is contracted) and 'stack_a' (new, "
                        + "'stack_a' is expanded; old, until 'stack_b' is contracted) and 'stack_b' (new, 'stack_b' is "
                        + "expanded). The database has never heard of version 'stack_c'. Migration 'stack_b' is "
                        + "expanded: run `migrate expand <file of stack_c>` (its version builds on 'stack_b'), then "
                        + "start this build.");
    }

    @Test
    void contractOfTheFirstWaitsForTheInstancesOfBaseOnlyAndRollbackOfTheSecondForItsOwn() {
        tandem.backfill(A, BackfillListener.NONE);
        tandem.backfill(B, BackfillListener.NONE);
        try (InstanceRegistration a = guard(A).start(pool); InstanceRegistration b = guard(B).start(pool)) {
            try (InstanceRegistration old = guard("base").start(pool)) {
                assertThatThrownBy(() -> tandem.contract(A)).isInstanceOf(StateConflictException.class)
                        .hasMessageStartingWith("migration 'stack_a': contract removes version 'base', and 1 "
                                + "instance(s) of it sent a heartbeat within the last 60 s: base-1 (version base, "
                                + "last seen ");
                assertThatThrownBy(() -> tandem.rollback(A)).isInstanceOf(StateConflictException.class)
                        .hasMessageStartingWith("migration 'stack_a': rollback removes versions 'stack_a' and "
                                + "'stack_b', and 2 instance(s) of them sent a heartbeat");
            }
            tandem.contract(A);
            assertThatThrownBy(() -> check("base")).isInstanceOf(PhaseGuardException.class)
                    .hasMessageEndingWith("it offers 'stack_a' (old, until 'stack_b' is contracted) and 'stack_b' "
                            + "(new, 'stack_b' is expanded). Migration 'stack_a' is complete, so the unmigrated schema "
                            + "is gone: deploy a newer build (for version 'stack_b').");

            assertThatThrownBy(() -> tandem.rollback(B)).isInstanceOf(StateConflictException.class)
                    .hasMessageStartingWith("migration 'stack_b': rollback removes version 'stack_b', and 1 "
                            + "instance(s) of it sent a heartbeat within the last 60 s: stack_b-1 (version stack_b, ")
                    .hasMessageContaining("Stop them (deploy the build for 'stack_a' everywhere)");
            b.close();
            tandem.rollback(B);
            assertThat(route(A)).isEqualTo(versionSchema(A));
            assertThatThrownBy(() -> check(B)).isInstanceOf(PhaseGuardException.class)
                    .hasMessageContaining("it offers 'stack_a' (current). Migration 'stack_b' was rolled back");
        }
    }

    @Test
    void statusShowsEachMigrationInFlightWithTheVersionItBuildsOnAndItsOwn() {
        tandem.backfill(B, BackfillListener.NONE);
        try (InstanceRegistration old = guard("base").start(pool);
             InstanceRegistration a = PhaseGuard.builder(A).schema(schema).host("a-1").acceptIncompleteBackfill(true)
                     .build().start(pool)) {
            List<MigrationStatus> status = tandem.status();
            assertThat(status).extracting(MigrationStatus::name).containsExactly(A, B);
            assertThat(describe(status.get(0).versions())).containsExactly(
                    "base served (old, until 'stack_a' is contracted) [base-1]",
                    "stack_a backfill_pending (new, 'stack_a' is expanded; old, until 'stack_b' is contracted) [a-1]");
            assertThat(describe(status.get(1).versions())).containsExactly(
                    "stack_a backfill_pending (new, 'stack_a' is expanded; old, until 'stack_b' is contracted) [a-1]",
                    "stack_b backfill_pending (new, 'stack_b' is expanded) []");
        }
        tandem.backfill(A, BackfillListener.NONE);
        stack.record(A, Phase.CONTRACTING);
        assertThat(describe(tandem.status().get(1).versions())).containsExactly(
                "stack_a served (new, 'stack_a' is contracting; old, until 'stack_b' is contracted) []",
                "stack_b served (new, 'stack_b' is expanded) []");
        assertThat(describe(tandem.status().get(0).versions())).first().isEqualTo(
                "base not_served (removed, 'stack_a' is contracting) []");
        assertThatThrownBy(() -> check("base")).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("The contract of migration 'stack_a' has begun and removes version 'base': "
                        + "deploy a newer build (for version 'stack_a').");
    }

    @Test
    void aStackOnOneTableServesEachVersionAndContractsBottomFirst() {
        tandem.rollback(B);
        tandem.expand(Examples.inline("stack_c",
                "{rename_column: {table: customers, from: nickname, to: alias}}"));
        tandem.backfill(A, BackfillListener.NONE);
        tandem.backfill("stack_c", BackfillListener.NONE);
        assertThat(route("base")).isEqualTo(schema);
        assertThat(route(A)).isEqualTo(versionSchema(A));
        assertThat(route("stack_c")).isEqualTo(versionSchema("stack_c"));
        assertThatThrownBy(() -> tandem.contract("stack_c")).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("contract 'stack_a' first");
        tandem.contract(A);
        assertThat(route(A)).isEqualTo(versionSchema(A));
        assertThat(route("stack_c")).isEqualTo(versionSchema("stack_c"));
        tandem.contract("stack_c");
        assertThat(route("stack_c")).isEqualTo(versionSchema("stack_c"));
        assertThatThrownBy(() -> check(A)).isInstanceOf(PhaseGuardException.class);
    }

    private static List<String> describe(List<VersionStatus> versions) {
        return versions.stream().map(v -> v.name() + " " + v.serving() + " (" + v.role() + ") "
                + v.liveInstances().stream().map(LiveInstance::host).toList()).toList();
    }
}
