package dev.tandem.liquibase;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.TandemException;
import dev.tandem.coordinator.internal.verify.AppStatements;
import dev.tandem.coordinator.internal.verify.RoundTrip;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The database half of {@code migrate verify --changelog}, on a scratch database that holds the schema the
 * changelog's phase-labelled changesets start from: expand, the old and the new version's statements run,
 * backfill, rollback (the catalog must come back as it was, compared by {@link CatalogComparison}), then
 * expand, backfill and contract, after which the new version's statements still run. Both versions use the
 * changelog's schema: a labelled changelog keeps both shapes in the same tables, not in version schemas. On a
 * MariaDB scratch database the schema is the database, and Tandem's state goes to a database of its own.
 */
final class ChangelogRoundTrip {
    private ChangelogRoundTrip() {
    }

    /**
     * @param historyInSetup whether the scratch database already holds the history's schema (a setup script
     *                       built it): then the unlabelled changesets are marked as run, else they run first
     */
    static List<Finding> verify(DataSource scratch, Changelog changelog, boolean historyInSetup,
                                AppStatements oldVersion, AppStatements newVersion) {
        TandemConfig config = RoundTrip.config(scratch);
        LiquibasePhases phases = new LiquibasePhases(Tandem.create(scratch, config));
        if (historyInSetup) {
            phases.baseline(changelog);
        } else {
            phases.history(changelog);
        }
        List<String> searchPath = List.of(phases.schema());
        oldVersion.requireRunning(scratch, config.stateSchema(), searchPath);
        List<Finding> findings = new ArrayList<>();
        try (CatalogComparison catalog = CatalogComparison.open(scratch, phases.schema())) {
            CatalogComparison.Snapshot before = catalog.snapshot();
            if (!step(changelog, "expand", () -> phases.run(ChangelogPhase.EXPAND, changelog), findings)) {
                return findings;
            }
            String expanded = changelog.path() + " (expand)";
            findings.addAll(oldVersion.check(scratch, config.stateSchema(), searchPath, Rule.OLD_QUERY_BROKEN,
                    expanded, error -> null));
            findings.addAll(newVersion.check(scratch, config.stateSchema(), searchPath, Rule.NEW_QUERY_BROKEN,
                    expanded, error -> null));
            if (!step(changelog, "backfill", () -> phases.run(ChangelogPhase.BACKFILL, changelog), findings)
                    || !step(changelog, "rollback", () -> phases.rollback(changelog), findings)) {
                return findings;
            }
            List<String> differences = catalog.differences(before, catalog.snapshot());
            if (!differences.isEmpty()) {
                findings.add(Finding.of(Rule.ROLLBACK_NOT_CLEAN, changelog.path(), 0, null,
                        "after rollback: " + String.join("; ", differences)));
                return findings;
            }
        }
        for (ChangelogPhase phase : ChangelogPhase.values()) {
            if (!step(changelog, phase.label() + (phase == ChangelogPhase.EXPAND ? " again after rollback" : ""),
                    () -> phases.run(phase, changelog), findings)) {
                return findings;
            }
        }
        findings.addAll(newVersion.check(scratch, config.stateSchema(), searchPath, Rule.NEW_QUERY_BROKEN,
                changelog.path() + " (contract)", error -> null));
        return findings;
    }

    private static boolean step(Changelog changelog, String name, Supplier<?> step, List<Finding> findings) {
        try {
            step.get();
            return true;
        } catch (TandemException e) {
            findings.add(Finding.of(Rule.PHASE_FAILED, changelog.path(), 0, null, name + " failed: " + e.getMessage()));
            return false;
        }
    }
}
