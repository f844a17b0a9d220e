package dev.tandem.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.state.MigrationRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The guard's answers on stacks the coordinator leaves only in passing or out of order (a rollback under a migration
 * built on it, a kept contract in a stack, a contract out of order), from recorded rows; the stack on real databases
 * is {@link StackedVersionsGuardTest}.
 */
class VersionRulesTest {
    private final List<MigrationRow> rows = new ArrayList<>();

    private VersionRulesTest record(String name, String phase, String on) {
        rows.add(new MigrationRow(name, phase, name + ".yaml", "public_" + name, on == null ? null : "public_" + on,
                true));
        return this;
    }

    private SchemaVersion resolve(String version) {
        Set<String> schemas = Set.of("public", "public_a", "public_b");
        return new VersionRules("public", false, rows, schemas, false).resolve(version);
    }

    @Test
    void aVersionBuiltOnAMigrationBeingRolledBackIsRefusedWithWhatToRun() {
        record("a", "rolling_back", null).record("b", "expanded", "a");

        assertThat(resolve("base").searchPath()).containsExactly("public");
        assertThatThrownBy(() -> resolve("b")).isInstanceOf(PhaseGuardException.class)
                .hasMessage("this build is for schema version 'b' of schema 'public', which the database does not "
                        + "offer: it offers 'base' (old, until 'a' is contracted). Migration 'b' builds on migration "
                        + "'a', which is rolling_back, so its version is not made: keep running the build that "
                        + "matches the database (for version 'base').");
    }

    @Test
    void aKeptContractInAStackNamesTheRevertThatBringsTheVersionBack() {
        record("a", "complete", null).record("b", "contracted_kept", "a");

        assertThat(resolve("b").searchPath()).containsExactly("public_b", "public");
        assertThatThrownBy(() -> resolve("a")).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("it offers 'b' (new, 'b' is contracted_kept). Migration 'b' is contracted with "
                        + "the old shape kept, and no longer offers version 'a': deploy a newer build (for version "
                        + "'b'), or bring this version back with `migrate revert b`.");
    }

    @Test
    void aContractOutOfOrderRemovesTheMigrationBelowAndBase() {
        record("a", "expanded", null).record("b", "contracting", "a");

        assertThat(resolve("b").searchPath()).containsExactly("public_b", "public");
        assertThatThrownBy(() -> resolve("a")).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("it offers 'b' (new, 'b' is contracting). The contract of migration 'b' has "
                        + "begun and removes version 'a': deploy a newer build (for version 'b').");
        assertThatThrownBy(() -> resolve("base")).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("The contract of migration 'b' has begun and removes version 'base': deploy a "
                        + "newer build (for version 'b').");
    }

    @Test
    void aMigrationBeingRolledBackOnTopOfAnotherSendsItsBuildBackToTheOneBelow() {
        record("a", "expanded", null).record("b", "rolling_back", "a");

        assertThat(resolve("a").searchPath()).containsExactly("public_a", "public");
        assertThatThrownBy(() -> resolve("b")).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("Migration 'b' is being rolled back: keep running the build for version 'a', or "
                        + "finish the rollback (`migrate rollback b`) and expand again (`migrate expand b.yaml`) "
                        + "before starting this build.");
    }
}
