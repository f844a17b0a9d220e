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

    /** One row per phase: its label, then the verdict of each command. */
    private static List<String> table(List<Phase> phases, List<Command> commands) {
        List<String> table = new ArrayList<>();
        for (Phase phase : phases) {
            StringBuilder row = new StringBuilder(phase.label());
            for (Command command : commands) {
                row.append(' ').append(Lifecycle.decide(command, "m", phase).verdict());
            }
            table.add(row.toString());
        }
        return table;
    }

    @Test
    void eachPhaseAllowsTheCommandsOfTheTable() {
        List<String> table = table(List.of(Phase.EXPANDING, Phase.EXPANDED, Phase.CONTRACTING, Phase.COMPLETE,
                Phase.ROLLING_BACK, Phase.ROLLED_BACK), List.of(Command.EXPAND, Command.BACKFILL, Command.CONTRACT,
                Command.ROLLBACK, Command.VERIFY));
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
    void aContractKeptForARevertAndItsCommands() {
        List<Command> reversible = List.of(Command.KEEP, Command.REVERT, Command.PURGE);
        // columns: keep, revert, purge
        assertThat(table(List.of(Phase.values()), reversible)).containsExactly(
                "expanding REFUSED REFUSED REFUSED",
                "expanded START DONE REFUSED",
                "contracting REFUSED REFUSED RESUME",
                "contracted_kept RESUME START START",
                "complete REFUSED REFUSED DONE",
                "rolling_back REFUSED REFUSED REFUSED",
                "rolled_back REFUSED REFUSED REFUSED");
        // columns: expand, backfill, contract, rollback, verify
        assertThat(table(List.of(Phase.CONTRACTED_KEPT), List.of(Command.EXPAND, Command.BACKFILL, Command.CONTRACT,
                Command.ROLLBACK, Command.VERIFY))).containsExactly("contracted_kept DONE DONE DONE REFUSED REFUSED");
        assertThat(Command.values()).hasSize(8);
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
