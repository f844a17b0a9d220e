package dev.tandem.coordinator.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tandem.coordinator.ExitKind;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A failure names the migration, the phase and the step it happened in, and the kind of exit it calls for. */
class FailureContextTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @Test
    void aRefusedCommandNamesTheMigrationAndThePhase() {
        db.execute(Examples.shop());
        Tandem tandem = db.tandem();

        StateConflictException refused = catchThrowableOfType(StateConflictException.class,
                () -> tandem.contract("never_expanded"));

        assertThat(refused.exitKind()).isEqualTo(ExitKind.STATE_CONFLICT);
        assertThat(refused.migration()).contains("never_expanded");
        assertThat(refused.phase()).contains(PhaseKind.CONTRACT);
        assertThat(refused.step()).isEmpty();
    }

    @Test
    void aFailedStepIsNamed() {
        db.execute(Examples.shop());
        db.execute("INSERT INTO products (sku, title, price) VALUES ('SKU-7', 'Twin of product 7', 1)");
        Migration migration = Examples.migration("create_index.yaml");

        InvalidMigrationException failed = catchThrowableOfType(InvalidMigrationException.class,
                () -> db.tandem().expand(migration));

        assertThat(failed.exitKind()).isEqualTo(ExitKind.BAD_INPUT);
        assertThat(failed.migration()).contains(migration.name());
        assertThat(failed.phase()).contains(PhaseKind.EXPAND);
        assertThat(failed.step()).hasValueSatisfying(step -> assertThat(step).startsWith("expand/after/"));
    }
}
