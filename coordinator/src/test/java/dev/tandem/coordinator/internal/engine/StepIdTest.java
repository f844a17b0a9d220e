package dev.tandem.coordinator.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.PhaseKind;
import org.junit.jupiter.api.Test;

class StepIdTest {

    @Test
    void formatsAsTheStateTablesRecordSteps() {
        assertThat(StepId.whole(PhaseKind.EXPAND, Stage.MAIN).format()).isEqualTo("expand/main");
        assertThat(StepId.statement(PhaseKind.CONTRACT, Stage.MAIN, 0).format()).isEqualTo("contract/main/0");
        assertThat(StepId.statement(PhaseKind.ROLLBACK, Stage.BEFORE, 12)).hasToString("rollback/before/12");
        assertThat(StepId.statement(PhaseKind.EXPAND, Stage.AFTER, 2).format()).isEqualTo("expand/after/2");
    }

    @Test
    void parsesWhatEarlierBuildsRecorded() {
        for (String recorded : new String[] {"expand/main", "expand/before/0", "contract/main/7", "contract/after/0",
                "rollback/main", "rollback/main/3"}) {
            assertThat(StepId.parse(recorded).format()).isEqualTo(recorded);
        }
        assertThat(StepId.parse("contract/main/0"))
                .isEqualTo(StepId.statement(PhaseKind.CONTRACT, Stage.MAIN, 0));
    }

    @Test
    void refusesWhatIsNoStep() {
        assertThatThrownBy(() -> StepId.parse("contract")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StepId.parse("contract/middle/0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StepId.parse("shrink/main")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StepId.parse("expand/main/0/1")).isInstanceOf(IllegalArgumentException.class);
    }
}
