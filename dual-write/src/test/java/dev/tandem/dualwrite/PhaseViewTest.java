package dev.tandem.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PhaseViewTest {
    private static final String MIGRATION = "add_display_name";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    private Tandem tandem;
    private PhaseView phases;

    @BeforeEach
    void createShop() {
        db.execute(Examples.shop());
        tandem = db.tandem();
        phases = PhaseGuard.builder(MIGRATION).build().phases();
    }

    private MigrationPhase phase() {
        return phases.phase(db.pool(), MIGRATION);
    }

    @Test
    void followsTheMigrationFromOldShapeToNewShape() {
        assertThat(phase()).isEqualTo(new MigrationPhase(MIGRATION, "none", false, DualWritePhase.READ_OLD_WRITE_OLD));
        assertThat(phases.latest(db.pool())).isEmpty();

        tandem.expand(Examples.migration("add_column.yaml"));
        assertThat(phase()).isEqualTo(new MigrationPhase(MIGRATION, "expanded", false,
                DualWritePhase.READ_OLD_WRITE_BOTH));

        tandem.backfill(MIGRATION, BackfillListener.NONE);
        assertThat(phase()).isEqualTo(new MigrationPhase(MIGRATION, "expanded", true,
                DualWritePhase.READ_NEW_WRITE_BOTH));

        Tandem crashing = db.tandem(TandemConfig.builder().afterStep(step -> {
            if (step.startsWith("contract/")) {
                throw new IllegalStateException("simulated crash after " + step);
            }
        }).build());
        assertThatThrownBy(() -> crashing.contract(MIGRATION)).hasMessageContaining("simulated crash");
        assertThat(phase().recordedPhase()).isEqualTo("contracting");
        assertThat(phase().dualWrite()).isEqualTo(DualWritePhase.READ_NEW_WRITE_NEW);

        tandem.contract(MIGRATION);
        assertThat(phase()).isEqualTo(new MigrationPhase(MIGRATION, "complete", true,
                DualWritePhase.READ_NEW_WRITE_NEW));
        assertThat(phases.latest(db.pool())).contains(phase());
    }

    @Test
    void rollbackReturnsToTheOldShapeAndAnEarlierBackfillDoesNotCountAfterReExpand() {
        tandem.expand(Examples.migration("add_column.yaml"));
        tandem.backfill(MIGRATION, BackfillListener.NONE);
        tandem.rollback(MIGRATION);
        assertThat(phase().recordedPhase()).isEqualTo("rolled_back");
        assertThat(phase().dualWrite()).isEqualTo(DualWritePhase.READ_OLD_WRITE_OLD);

        tandem.expand(Examples.migration("add_column.yaml"));
        assertThat(phase()).isEqualTo(new MigrationPhase(MIGRATION, "expanded", false,
                DualWritePhase.READ_OLD_WRITE_BOTH));
    }
}
