package dev.tandem.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.state.VersionStack.Serving;
import dev.tandem.state.VersionStack.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The versions recorded migrations make and which are served: one migration in flight, a stack (base → A → A+B) in
 * every phase its migrations go through, contracts out of order, rollbacks, and backfills per migration.
 */
class VersionStackTest {
    private final List<MigrationRow> rows = new ArrayList<>();

    /** Records {@code name} with its version built on {@code on}'s (null: base). */
    private VersionStackTest record(String name, String phase, String on, boolean backfilled) {
        rows.add(new MigrationRow(name, phase, name + ".yaml", "public_" + name, on == null ? null : "public_" + on,
                backfilled));
        return this;
    }

    private VersionStack stack() {
        return new VersionStack(rows, Set.of());
    }

    private List<String> offered() {
        return stack().offered().stream().map(v -> v.name() + " (" + v.role() + ")").toList();
    }

    private Version version(String name) {
        return stack().version(name).orElseThrow();
    }

    @Test
    void withoutMigrationsBaseIsCurrent() {
        assertThat(offered()).containsExactly("base (current)");
        assertThat(stack().inFlight()).isEmpty();
    }

    @Test
    void oneMigrationInFlightOffersItsOldVersionUntilContractAndItsNewOneFromTheEndOfExpand() {
        record("a", "expanding", null, false);
        assertThat(offered()).containsExactly("base (old, until 'a' is contracted)");
        assertThat(version("a").role()).isEqualTo("not made, 'a' is expanding");

        rows.set(0, new MigrationRow("a", "expanded", "a.yaml", "public_a", null, true));
        assertThat(offered()).containsExactly("base (old, until 'a' is contracted)", "a (new, 'a' is expanded)");

        rows.set(0, new MigrationRow("a", "contracting", "a.yaml", "public_a", null, true));
        assertThat(offered()).containsExactly("a (new, 'a' is contracting)");
        assertThat(version("base").removedBy().name()).isEqualTo("a");

        rows.set(0, new MigrationRow("a", "complete", "a.yaml", "public_a", null, true));
        assertThat(offered()).containsExactly("a (current)");
    }

    @Test
    void aStackOffersEveryVersionUntilTheContractOfTheNextOneBuiltOnItBegins() {
        record("a", "expanded", null, true).record("b", "expanded", "a", true);

        assertThat(offered()).containsExactly("base (old, until 'a' is contracted)",
                "a (new, 'a' is expanded; old, until 'b' is contracted)", "b (new, 'b' is expanded)");
        assertThat(version("b").buildsOn()).isEqualTo("a");
        assertThat(stack().inFlight()).extracting(MigrationRow::name).containsExactly("a", "b");
        assertThat(stack().removedByContract("a")).containsExactly("base");
        assertThat(stack().removedByContract("b")).containsExactly("a", "base");
        assertThat(stack().removedByRollback("a")).containsExactly("a", "b");
        assertThat(stack().removedByRollback("b")).containsExactly("b");
    }

    @Test
    void contractInOrderRemovesOneVersionAtATime() {
        record("a", "contracting", null, true).record("b", "expanded", "a", true);
        assertThat(offered()).containsExactly("a (new, 'a' is contracting; old, until 'b' is contracted)",
                "b (new, 'b' is expanded)");

        rows.set(0, new MigrationRow("a", "complete", "a.yaml", "public_a", null, true));
        assertThat(offered()).containsExactly("a (old, until 'b' is contracted)", "b (new, 'b' is expanded)");
        assertThat(stack().removedByContract("b")).containsExactly("a");

        rows.set(1, new MigrationRow("b", "contracted_kept", "b.yaml", "public_b", "public_a", true));
        assertThat(offered()).containsExactly("b (new, 'b' is contracted_kept)");
        assertThat(version("a").role()).isEqualTo("removed, 'b' is contracted_kept");
    }

    @Test
    void contractOutOfOrderRemovesEveryVersionTheMigrationBuildsOn() {
        record("a", "expanded", null, true).record("b", "contracting", "a", true);

        assertThat(offered()).containsExactly("b (new, 'b' is contracting)");
        assertThat(version("base").removedBy().name()).isEqualTo("b");
        assertThat(version("a").removedBy().name()).isEqualTo("b");
        assertThat(stack().removedByContract("a")).as("nothing left for a's contract to remove").isEmpty();
    }

    @Test
    void aVersionWaitsForItsOwnBackfillAndForThoseOfTheMigrationsItBuildsOn() {
        record("a", "expanded", null, false).record("b", "expanded", "a", true);

        assertThat(version("a").serving()).isEqualTo(Serving.BACKFILL_PENDING);
        assertThat(version("b").serving()).isEqualTo(Serving.BACKFILL_PENDING);
        assertThat(version("b").backfillPending()).containsExactly("a");
        assertThat(stack().offered()).extracting(Version::name).containsExactly("base", "a", "b");

        rows.set(1, new MigrationRow("b", "expanded", "b.yaml", "public_b", "public_a", false));
        assertThat(version("b").backfillPending()).containsExactly("a", "b");

        rows.set(0, new MigrationRow("a", "contracting", "a.yaml", "public_a", null, false));
        assertThat(version("b").backfillPending()).as("contract begins only after a finished backfill")
                .containsExactly("b");
    }

    @Test
    void aRollbackTakesTheVersionsBuiltOnItsMigrationDownAndLeavesTheOneItBuildsOn() {
        record("a", "expanded", null, true).record("b", "rolling_back", "a", true);
        assertThat(offered()).containsExactly("base (old, until 'a' is contracted)",
                "a (new, 'a' is expanded; old, until 'b' is contracted)");
        assertThat(version("b").blockedBy().name()).isEqualTo("b");

        rows.set(1, new MigrationRow("b", "rolled_back", "b.yaml", "public_b", "public_a", true));
        assertThat(offered()).containsExactly("base (old, until 'a' is contracted)", "a (new, 'a' is expanded)");
        assertThat(version("b").role()).isEqualTo("rolled back");

        rows.set(1, new MigrationRow("b", "expanded", "b.yaml", "public_b", "public_a", true));
        rows.set(0, new MigrationRow("a", "rolling_back", "a.yaml", "public_a", null, true));
        assertThat(offered()).containsExactly("base (old, until 'a' is contracted)");
        assertThat(version("b").blockedBy().name()).isEqualTo("a");
        assertThat(version("b").role()).isEqualTo("not made, 'a', which it builds on, is rolling_back");
    }

    @Test
    void disjointMigrationsOnTheSameVersionAreEachOld() {
        record("a", "expanded", null, true).record("b", "expanded", null, true);

        assertThat(offered()).containsExactly("base (old, until 'a' and 'b' are contracted)",
                "a (new, 'a' is expanded)", "b (new, 'b' is expanded)");
        assertThat(stack().removedByRollback("a")).containsExactly("a");
        assertThat(stack().removedByContract("b")).containsExactly("base");
    }

    @Test
    void anEarlierCompleteVersionIsOfferedWhileItsViewsExist() {
        record("a", "complete", null, true).record("b", "complete", "a", true).record("c", "expanded", "b", true);

        assertThat(offered()).containsExactly("b (old, until 'c' is contracted)", "c (new, 'c' is expanded)");
        assertThat(new VersionStack(rows, Set.of("public_a")).offered()).extracting(Version::name)
                .containsExactly("a", "b", "c");
        assertThat(version("base").removedBy().name()).as("the latest complete contract").isEqualTo("b");
        assertThat(stack().removedByContract("c")).containsExactly("b");
    }
}
