package dev.tandem.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DualWritePhaseTest {
    @Test
    void eachPhaseSaysWhatToReadAndWrite() {
        assertThat(DualWritePhase.values()).extracting(p -> p.readsNew() + "/" + p.writesOld() + "/" + p.writesNew())
                .containsExactly("false/true/false", "false/true/true", "true/true/true", "true/false/true");
    }

    @Test
    void mapsEveryRecordedPhase() {
        assertThat(DualWritePhase.of(null, false)).isEqualTo(DualWritePhase.READ_OLD_WRITE_OLD);
        assertThat(DualWritePhase.of("expanding", false)).isEqualTo(DualWritePhase.READ_OLD_WRITE_OLD);
        assertThat(DualWritePhase.of("expanded", false)).isEqualTo(DualWritePhase.READ_OLD_WRITE_BOTH);
        assertThat(DualWritePhase.of("expanded", true)).isEqualTo(DualWritePhase.READ_NEW_WRITE_BOTH);
        assertThat(DualWritePhase.of("contracting", true)).isEqualTo(DualWritePhase.READ_NEW_WRITE_NEW);
        assertThat(DualWritePhase.of("contracted_kept", true)).isEqualTo(DualWritePhase.READ_NEW_WRITE_NEW);
        assertThat(DualWritePhase.of("complete", true)).isEqualTo(DualWritePhase.READ_NEW_WRITE_NEW);
        assertThat(DualWritePhase.of("rolling_back", true)).isEqualTo(DualWritePhase.READ_OLD_WRITE_OLD);
        assertThat(DualWritePhase.of("rolled_back", true)).isEqualTo(DualWritePhase.READ_OLD_WRITE_OLD);
    }
}
