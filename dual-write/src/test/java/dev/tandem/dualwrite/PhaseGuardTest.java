package dev.tandem.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PhaseGuardTest {
    private static final String FIRST = "add_display_name";
    private static final String SECOND = "guard_product_note";

    private TestDatabase db;
    private Tandem tandem;
    private DataSource dataSource;

    @BeforeEach
    void createShop() {
        db = TestDatabase.create();
        db.execute(Examples.shop());
        tandem = db.tandem();
        dataSource = db.pool();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private SchemaVersion check(String version) {
        return PhaseGuard.builder(version).build().check(dataSource);
    }

    private void completeFirst() {
        tandem.expand(Examples.migration("add_column.yaml"));
        tandem.backfill(FIRST, BackfillListener.NONE);
        tandem.contract(FIRST);
    }

    private static Tandem crashingAfterFirstStepOf(TestDatabase db, String phase) {
        return db.tandem(TandemConfig.builder().afterStep(step -> {
            if (step.startsWith(phase + "/")) {
                throw new IllegalStateException("simulated crash after " + step);
            }
        }).build());
    }

    @Test
    void databaseNeverMigratedOffersOnlyBase() {
        assertThat(check("base").searchPath()).containsExactly("public");
        assertThat(check("base").setSearchPathSql()).isEqualTo("SET search_path TO \"public\"");

        assertThatThrownBy(() -> check(FIRST)).isInstanceOf(PhaseGuardException.class)
                .hasMessage("this build is for schema version 'add_display_name' of schema 'public', which the "
                        + "database does not offer: it offers 'base' (current). The database has never heard of "
                        + "version 'add_display_name'. To start this build, run `migrate expand <file of "
                        + "add_display_name>` first.")
                .satisfies(e -> {
                    PhaseGuardException p = (PhaseGuardException) e;
                    assertThat(p.wantedVersion()).isEqualTo(FIRST);
                    assertThat(p.offeredVersions()).containsExactly("base");
                });
    }

    @Test
    void expandedMigrationOffersOldAndNewVersion() throws Exception {
        tandem.expand(Examples.migration("add_column.yaml"));
        tandem.backfill(FIRST, BackfillListener.NONE);

        assertThat(check("base").searchPath()).containsExactly("public");
        SchemaVersion newVersion = check(FIRST);
        assertThat(newVersion).isEqualTo(new SchemaVersion(FIRST, "public", List.of("public_add_display_name",
                "public")));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(newVersion.setSearchPathSql());
            s.execute("SELECT display_name FROM customers LIMIT 1");
            s.execute("RESET search_path");
        }
    }

    @Test
    void newVersionWaitsForExpandToFinish() {
        assertThatThrownBy(() -> crashingAfterFirstStepOf(db, "expand").expand(Examples.migration("add_column.yaml")))
                .hasMessageContaining("simulated crash");

        assertThat(check("base").searchPath()).containsExactly("public");
        assertThatThrownBy(() -> check(FIRST)).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("it offers 'base' (old, until 'add_display_name' is contracted). The expand of "
                        + "'add_display_name' has not finished: run `migrate expand add_column.yaml` again to finish "
                        + "it, then start this build.");
    }

    @Test
    void newVersionWaitsForTheBackfillUnlessTheApplicationAcceptsItIncomplete() {
        tandem.expand(Examples.migration("add_column.yaml"));

        assertThat(check("base").searchPath()).containsExactly("public");
        assertThatThrownBy(() -> check(FIRST)).isInstanceOf(PhaseGuardException.class)
                .hasMessage("this build is for schema version 'add_display_name' of schema 'public', the new version "
                        + "of migration 'add_display_name', whose backfill has not finished: rows it has not reached "
                        + "yet show this version NULL in its new columns, and Tandem refuses this version's writes "
                        + "that depend on them. Run `migrate backfill add_display_name` to the end, then start this "
                        + "build; or, to start it before that on purpose, accept an incomplete backfill "
                        + "(PhaseGuard.Builder.acceptIncompleteBackfill(true), in Spring Boot "
                        + "tandem.accept-incomplete-backfill=true).")
                .satisfies(e -> assertThat(((PhaseGuardException) e).offeredVersions()).containsExactly("base", FIRST));
        assertThatThrownBy(() -> PhaseGuard.builder(FIRST).build().start(dataSource))
                .isInstanceOf(PhaseGuardException.class).hasMessageContaining("whose backfill has not finished");
        assertThat(db.value("SELECT to_regclass('tandem.instances') IS NULL")).as("a refused start creates nothing")
                .isEqualTo("t");

        PhaseGuard accepting = PhaseGuard.builder(FIRST).acceptIncompleteBackfill(true).build();
        assertThat(accepting.check(dataSource).searchPath()).containsExactly("public_add_display_name", "public");
        try (InstanceRegistration registration = accepting.start(dataSource)) {
            assertThat(registration.version().name()).isEqualTo(FIRST);
        }

        tandem.backfill(FIRST, BackfillListener.NONE);
        assertThat(check(FIRST).searchPath()).containsExactly("public_add_display_name", "public");
    }

    @Test
    void aMigrationWithNothingToBackfillOffersItsNewVersionOnceBackfillHasRun() {
        tandem.expand(Examples.migration("create_index.yaml"));
        assertThatThrownBy(() -> check("index_orders_and_products")).isInstanceOf(PhaseGuardException.class)
                .hasMessageContaining("Run `migrate backfill index_orders_and_products` to the end");

        assertThat(tandem.backfill("index_orders_and_products", BackfillListener.NONE).outcome())
                .isEqualTo("nothing to backfill");
        assertThat(check("index_orders_and_products").searchPath())
                .containsExactly("public_index_orders_and_products", "public");
    }

    @Test
    void oldVersionIsRefusedOnceContractHasBegun() {
        tandem.expand(Examples.migration("add_column.yaml"));
        tandem.backfill(FIRST, BackfillListener.NONE);
        assertThatThrownBy(() -> crashingAfterFirstStepOf(db, "contract").contract(FIRST))
                .hasMessageContaining("simulated crash");

        assertThat(check(FIRST).searchPath()).containsExactly("public_add_display_name", "public");
        assertThatThrownBy(() -> check("base")).isInstanceOf(PhaseGuardException.class)
                .hasMessage("this build is for schema version 'base' of schema 'public', which the database does not "
                        + "offer: it offers 'add_display_name' (new, 'add_display_name' is contracting). The contract "
                        + "of migration 'add_display_name' has begun and removes version 'base': deploy a newer build "
                        + "(for version 'add_display_name').");
    }

    @Test
    void keptContractRefusesTheOldVersionUntilRevertBringsItBack() {
        completeFirst();
        tandem.expand(Examples.migration(SECOND + ".yaml"));
        tandem.backfill(SECOND, BackfillListener.NONE);
        tandem.contractKeeping(SECOND, InstanceCheck.ENFORCE);

        assertThat(check(SECOND).searchPath()).containsExactly("public_guard_product_note", "public");
        assertThat(PhaseGuard.builder(SECOND).build().phases().phase(dataSource, SECOND).dualWrite())
                .isEqualTo(DualWritePhase.READ_NEW_WRITE_NEW);
        assertThatThrownBy(() -> check(FIRST)).isInstanceOf(PhaseGuardException.class)
                .hasMessage("this build is for schema version 'add_display_name' of schema 'public', which the "
                        + "database does not offer: it offers 'guard_product_note' (new, 'guard_product_note' is "
                        + "contracted_kept). Migration 'guard_product_note' is contracted with the old shape kept, "
                        + "and no longer offers version 'add_display_name': deploy a newer build (for version "
                        + "'guard_product_note'), or bring this version back with `migrate revert "
                        + "guard_product_note`.");

        tandem.revert(SECOND);
        assertThat(check(FIRST).searchPath()).containsExactly("public_add_display_name", "public");
        assertThat(check(SECOND).searchPath()).containsExactly("public_guard_product_note", "public");
    }

    @Test
    void completeMigrationIsTheOnlyVersionLeft() {
        completeFirst();

        assertThat(check(FIRST).searchPath()).containsExactly("public_add_display_name", "public");
        assertThatThrownBy(() -> check("base")).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("it offers 'add_display_name' (current). Migration 'add_display_name' is "
                        + "complete, so the unmigrated schema is gone: deploy a newer build (for version "
                        + "'add_display_name').");
    }

    @Test
    void rolledBackMigrationIsNotOffered() {
        tandem.expand(Examples.migration("add_column.yaml"));
        tandem.rollback(FIRST);

        assertThat(check("base").searchPath()).containsExactly("public");
        assertThatThrownBy(() -> check(FIRST)).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("Migration 'add_display_name' was rolled back: run `migrate expand "
                        + "add_column.yaml` again first, or keep running the build that matches the database (for "
                        + "version 'base').");
    }

    @Test
    void previousCompleteMigrationIsTheOldVersionOfTheNext() {
        completeFirst();
        tandem.expand(Examples.migration(SECOND + ".yaml"));
        tandem.backfill(SECOND, BackfillListener.NONE);

        assertThat(check(FIRST).searchPath()).containsExactly("public_add_display_name", "public");
        assertThat(check(SECOND).searchPath()).containsExactly("public_guard_product_note", "public");
        assertThatThrownBy(() -> check("base")).isInstanceOf(PhaseGuardException.class)
                .hasMessageContaining("it offers 'add_display_name' (old, until 'guard_product_note' is contracted) "
                        + "and 'guard_product_note' (new, 'guard_product_note' is expanded)");

        tandem.contract(SECOND);
        assertThatThrownBy(() -> check(FIRST)).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("it offers 'guard_product_note' (current). The database has moved on past "
                        + "'add_display_name' (its views are gone): deploy a newer build (for version "
                        + "'guard_product_note').");
    }

    @Test
    void unknownVersionWhileAnotherMigrationIsInFlight() {
        tandem.expand(Examples.migration("add_column.yaml"));

        assertThatThrownBy(() -> check(SECOND)).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("The database has never heard of version 'guard_product_note'. Migration "
                        + "'add_display_name' is expanded: run `migrate expand <file of guard_product_note>` (its "
                        + "version builds on 'add_display_name'), then start this build.");
    }

    @Test
    void missingVersionSchemaIsReportedAsInconsistentState() {
        tandem.expand(Examples.migration("add_column.yaml"));
        db.execute("DROP SCHEMA public_add_display_name CASCADE");

        assertThatThrownBy(() -> check(FIRST)).isInstanceOf(PhaseGuardException.class)
                .hasMessageStartingWith("schema 'public_add_display_name' of version 'add_display_name' does not "
                        + "exist, although Tandem's state offers that version");
    }

    @Test
    void givesUpWithinItsTimeLimitWhenTheStateTablesAreLocked() throws Exception {
        tandem.expand(Examples.migration("add_column.yaml"));
        tandem.backfill(FIRST, BackfillListener.NONE);
        PhaseGuard guard = PhaseGuard.builder(FIRST).timeout(Duration.ofSeconds(1)).build();
        try (Connection locker = db.connect(); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE tandem.migrations IN ACCESS EXCLUSIVE MODE");

            assertThatThrownBy(() -> guard.check(dataSource)).isInstanceOf(PhaseGuardException.class)
                    .hasMessageStartingWith("checking schema version 'add_display_name' of schema 'public' did not "
                            + "finish within 1000 ms");
            locker.rollback();
        }
        assertThat(guard.check(dataSource).name()).isEqualTo(FIRST);
    }

    @Test
    void builderRejectsWrongSettings() {
        assertThatThrownBy(() -> PhaseGuard.builder(" ").build()).hasMessage("version must not be empty");
        assertThatThrownBy(() -> PhaseGuard.builder("v").timeout(Duration.ZERO).build())
                .hasMessage("timeout must be positive, not PT0S");
        assertThatThrownBy(() -> PhaseGuard.builder("v").schema("tandem").build())
                .hasMessage("the state schema must differ from the schema migrations change (tandem)");
    }
}
