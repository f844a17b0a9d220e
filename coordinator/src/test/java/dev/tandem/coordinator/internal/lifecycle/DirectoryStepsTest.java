package dev.tandem.coordinator.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.DirectoryStatus;
import dev.tandem.coordinator.DirectoryStatus.Entry;
import dev.tandem.coordinator.DirectoryStatus.State;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.PhaseKind;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.state.Phase;
import dev.tandem.coordinator.testing.Examples;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which phase of which migration of a directory runs next, from the states of its files; no database. */
class DirectoryStepsTest {
    private static Entry entry(String name, State state, Phase phase, boolean backfillComplete) {
        return new Entry(Examples.inline(name, "sql: {phase: contract, sql: SELECT 1}"), state,
                phase == null ? null : phase.label(), backfillComplete, phase == null ? null : "recorded");
    }

    private static DirectoryStatus status(Entry... entries) {
        return new DirectoryStatus("public", "db", List.of(entries), List.of());
    }

    private static String next(DirectoryStatus status, PhaseKind through, String to) {
        return status.next(through, to).map(step -> step.migration().name() + " " + step.phase().label())
                .orElse("nothing");
    }

    @Test
    void theMigrationInFlightGoesOnFromItsPhaseBeforeTheNextPendingOneStarts() {
        Entry a = entry("a", State.APPLIED, Phase.COMPLETE, true);
        Entry c = entry("c", State.PENDING, null, false);
        assertThat(next(status(a, entry("b", State.IN_FLIGHT, Phase.EXPANDING, false), c), PhaseKind.CONTRACT, null))
                .isEqualTo("b expand");
        DirectoryStatus expanded = status(a, entry("b", State.IN_FLIGHT, Phase.EXPANDED, false), c);
        assertThat(next(expanded, PhaseKind.CONTRACT, null)).isEqualTo("b backfill");
        assertThat(next(expanded, PhaseKind.BACKFILL, null)).isEqualTo("b backfill");
        assertThat(next(expanded, PhaseKind.EXPAND, null)).isEqualTo("nothing");
        DirectoryStatus backfilled = status(a, entry("b", State.IN_FLIGHT, Phase.EXPANDED, true), c);
        assertThat(next(backfilled, PhaseKind.CONTRACT, null)).isEqualTo("b contract");
        assertThat(next(backfilled, PhaseKind.BACKFILL, null)).isEqualTo("nothing");
        assertThat(next(status(a, entry("b", State.IN_FLIGHT, Phase.CONTRACTING, true), c), PhaseKind.CONTRACT, null))
                .isEqualTo("b contract");
        assertThat(next(status(a, entry("b", State.APPLIED, Phase.COMPLETE, true), c), PhaseKind.EXPAND, null))
                .isEqualTo("c expand");
        assertThat(next(status(a, entry("b", State.PENDING, Phase.ROLLED_BACK, false), c), PhaseKind.EXPAND, null))
                .isEqualTo("b expand");
    }

    @Test
    void toLimitsTheMigrationsConsidered() {
        DirectoryStatus status = status(entry("a", State.APPLIED, Phase.COMPLETE, true),
                entry("b", State.PENDING, null, false));
        assertThat(next(status, PhaseKind.CONTRACT, "a")).isEqualTo("nothing");
        assertThat(next(status, PhaseKind.CONTRACT, "b")).isEqualTo("b expand");
        assertThatThrownBy(() -> status.next(PhaseKind.CONTRACT, "z")).isInstanceOf(InvalidMigrationException.class)
                .hasMessage("db: --to names 'z', which is no migration of the directory (a, b)");
    }

    @Test
    void aRollbackInFlightAndAnEditedFileAreRefused() {
        DirectoryStatus rollingBack = status(entry("a", State.IN_FLIGHT, Phase.ROLLING_BACK, false));
        assertThatThrownBy(() -> rollingBack.next(PhaseKind.CONTRACT, null))
                .isInstanceOf(StateConflictException.class)
                .hasMessage("migration 'a' (a.yaml) is being rolled back; run migrate rollback a to finish it first");
        DirectoryStatus edited = status(entry("a", State.EDITED, Phase.COMPLETE, true),
                entry("b", State.PENDING, null, false));
        assertThatThrownBy(() -> edited.next(PhaseKind.CONTRACT, null)).isInstanceOf(StateConflictException.class)
                .hasMessageStartingWith("db/a.yaml: migration 'a' is complete from a file with checksum recorded, "
                        + "and the file now has ");
        assertThatThrownBy(edited::nextExpand).isInstanceOf(StateConflictException.class);
        assertThatThrownBy(edited::current).isInstanceOf(StateConflictException.class);
    }

    @Test
    void expandOfADirectoryWaitsForTheMigrationInFlightUnlessItsExpandIsHalfDone() {
        Entry pending = entry("b", State.PENDING, null, false);
        assertThat(status(entry("a", State.IN_FLIGHT, Phase.EXPANDING, false), pending).nextExpand()
                .map(step -> step.migration().name())).contains("a");
        assertThat(status(entry("a", State.IN_FLIGHT, Phase.EXPANDED, false), pending).nextExpand()
                .map(step -> step.migration().name())).contains("b");
        assertThatThrownBy(() -> status(entry("a", State.IN_FLIGHT, Phase.CONTRACTING, false), pending).nextExpand())
                .isInstanceOf(StateConflictException.class)
                .hasMessage("migration 'a' (a.yaml) is contracting on schema 'public'; a migration expands on top of "
                        + "the others in flight once each is expanded: finish a first, then expand b (b.yaml)");
        assertThat(status(entry("a", State.IN_FLIGHT, Phase.EXPANDED, false)).nextExpand()).isEmpty();
        assertThat(status(entry("a", State.APPLIED, Phase.COMPLETE, true), pending).current()
                .map(Entry::name)).isEqualTo(Optional.of("a"));
        assertThat(status(pending).current()).isEmpty();
    }
}
