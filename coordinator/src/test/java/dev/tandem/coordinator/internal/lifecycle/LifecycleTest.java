package dev.tandem.coordinator.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.internal.lifecycle.Lifecycle.Command;
import dev.tandem.coordinator.internal.lifecycle.Lifecycle.Verdict;
import dev.tandem.coordinator.state.Phase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void eachPhaseAllowsTheCommandsOfTheTable() {
        List<String> table = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            StringBuilder row = new StringBuilder(phase.label());
            for (Command command : Command.values()) {
                row.append(' ').append(Lifecycle.decide(command, "m", phase).verdict());
            }
            table.add(row.toString());
        }
        // columns: expand, backfill, contract, rollback, verify
        assertThat(table).containsExactly(
                "expanding RESUME REFUSED REFUSED START REFUSED",
                "expanded DONE START START START START",
                "contracting DONE DONE RESUME START REFUSED",
                "complete DONE DONE DONE REFUSED REFUSED",
                "rolling_back REFUSED REFUSED REFUSED RESUME REFUSED",
                "rolled_back START REFUSED REFUSED DONE REFUSED");
    }

    @Test
    void aRefusalSaysWhatToRunInstead() {
        assertThatThrownBy(() -> Lifecycle.allow(Command.CONTRACT, "add_email", Phase.EXPANDING))
                .isInstanceOf(StateConflictException.class)
                .hasMessage("migration 'add_email' is expanding; contract needs a finished expand: run expand again "
                        + "to finish it");
        assertThatThrownBy(() -> Lifecycle.allow(Command.EXPAND, "add_email", Phase.ROLLING_BACK))
                .hasMessage("migration 'add_email' is being rolled back; run rollback again to finish it before "
                        + "expanding");
        assertThatThrownBy(() -> Lifecycle.allow(Command.ROLLBACK, "add_email", Phase.COMPLETE))
                .hasMessageStartingWith("migration 'add_email' is complete; the old shape is gone");
    }

    @Test
    void aCommandWithNothingLeftToDoSaysWhy() {
        assertThat(Lifecycle.allow(Command.EXPAND, "m", Phase.COMPLETE).text()).isEqualTo("already expanded");
        assertThat(Lifecycle.allow(Command.BACKFILL, "m", Phase.CONTRACTING).text())
                .isEqualTo("nothing to backfill: contract has run");
        assertThat(Lifecycle.allow(Command.CONTRACT, "m", Phase.COMPLETE).text()).isEqualTo("already complete");
        assertThat(Lifecycle.allow(Command.ROLLBACK, "m", Phase.ROLLED_BACK).verdict()).isEqualTo(Verdict.DONE);
    }
}
