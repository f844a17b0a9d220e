package dev.tandem.liquibase;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.verify.Directive;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.LintResult;
import dev.tandem.coordinator.verify.Rule;
import dev.tandem.coordinator.verify.Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.DbmsTargetedChange;
import liquibase.change.core.AddNotNullConstraintChange;
import liquibase.change.core.AddPrimaryKeyChange;
import liquibase.change.core.DropAllForeignKeyConstraintsChange;
import liquibase.change.core.DropColumnChange;
import liquibase.change.core.DropPrimaryKeyChange;
import liquibase.change.core.DropProcedureChange;
import liquibase.change.core.DropSequenceChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.DropUniqueConstraintChange;
import liquibase.change.core.DropViewChange;
import liquibase.change.core.MergeColumnChange;
import liquibase.change.core.ModifyDataTypeChange;
import liquibase.change.core.RenameColumnChange;
import liquibase.change.core.RenameSequenceChange;
import liquibase.change.core.RenameTableChange;
import liquibase.change.core.RenameViewChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseList;
import liquibase.database.DatabaseFactory;
import liquibase.database.OfflineConnection;
import liquibase.exception.LiquibaseException;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;

/**
 * {@code migrate verify --changelog}: the lint half of verify for a phase-labelled Liquibase changelog, offline.
 * Each changeset's phase label is checked, the SQL Liquibase would run for it is generated for the target
 * database without a connection and linted with Tandem's raw-SQL rules as if it ran in that phase, and changes
 * that break the old version are flagged in expand changesets.
 */
public final class ChangelogVerifier {
    /** Changes that remove, rename or narrow what the old version uses, or reject writes it makes. */
    private static final List<Class<? extends Change>> BREAK_THE_OLD_VERSION = List.of(DropColumnChange.class,
            DropTableChange.class, DropViewChange.class, DropSequenceChange.class, DropProcedureChange.class,
            DropPrimaryKeyChange.class, DropUniqueConstraintChange.class, DropAllForeignKeyConstraintsChange.class,
            RenameColumnChange.class, RenameTableChange.class, RenameViewChange.class, RenameSequenceChange.class,
            MergeColumnChange.class, ModifyDataTypeChange.class, AddNotNullConstraintChange.class,
            AddPrimaryKeyChange.class);
    /** SQL rules that say what TDM402 says about a change it flagged, in terms of Tandem operations. */
    private static final Set<String> SAID_BY_PLACEMENT = Set.of(Rule.RENAME_IN_EXPAND.id(), Rule.DROP_IN_EXPAND.id(),
            Rule.CONTRACT_STEP_IN_EXPAND.id());

    private ChangelogVerifier() {
    }

    /**
     * Lints {@code changelog} for {@code database} ({@code postgresql}, {@code mariadb}: Liquibase's offline
     * database names). Unlabelled changesets before the first labelled one are the project's history from before
     * Tandem and are not linted; an unlabelled changeset after it, or one with two phase labels, is a finding.
     *
     * @throws InvalidMigrationException when a file of the changelog cannot be read
     */
    public static LintResult lint(Changelog changelog, String database) {
        try {
            return Scope.child(LiquibasePhases.scope(changelog), () -> lintInScope(changelog, database));
        } catch (InvalidMigrationException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidMigrationException(changelog.path() + ": " + e.getMessage(), e);
        }
    }

    private static LintResult lintInScope(Changelog changelog, String databaseName) throws LiquibaseException {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                new OfflineConnection("offline:" + databaseName, changelog.resources()));
        DatabaseChangeLog parsed;
        try {
            parsed = LiquibasePhases.parse(changelog, database);
        } catch (LiquibaseException e) {
            return new LintResult(List.of(Finding.of(Rule.INVALID_MIGRATION, changelog.path(), 0, null,
                    "Liquibase cannot read the changelog (" + LiquibasePhases.message(e) + ")")), List.of());
        }
        List<Finding> findings = new ArrayList<>();
        List<Directive> directives = new ArrayList<>();
        Map<String, String> texts = new HashMap<>();
        boolean history = true;
        for (ChangeSet changeSet : parsed.getChangeSets()) {
            List<ChangelogPhase> phases = LabelledChangeSets.phasesOf(changeSet.getLabels());
            history = history && phases.isEmpty();
            if (history) {
                continue;
            }
            String file = changeSet.getFilePath();
            if (!texts.containsKey(file)) {
                texts.put(file, text(changelog, file));
                directives.addAll(Verifier.directives(file, texts.get(file), findings));
            }
            String where = "changeset " + changeSet.getId() + "::" + changeSet.getAuthor();
            int line = ChangeSetLines.of(texts.get(file), changeSet.getId());
            if (phases.size() != 1) {
                findings.add(Finding.of(Rule.CHANGESET_PHASE_LABEL, file, line, where, phases.isEmpty()
                        ? "no phase label" : "more than one phase label (" + phases.stream()
                        .map(ChangelogPhase::label).collect(Collectors.joining(", ")) + ")"));
                continue;
            }
            findings.addAll(lintChangeSet(changeSet, phases.get(0), database, line, where));
        }
        List<Finding> kept = findings.stream()
                .filter(finding -> directives.stream().noneMatch(directive -> directive.disables(finding)))
                .toList();
        return new LintResult(kept, directives);
    }

    /**
     * The changeset's SQL is linted as one script, as it runs in one transaction: a {@code SET LOCAL} in its first
     * change holds for the rest. Findings name the change their statement comes from.
     */
    private static List<Finding> lintChangeSet(ChangeSet changeSet, ChangelogPhase phase, Database database,
                                               int line, String where) {
        String file = changeSet.getFilePath();
        List<Finding> findings = new ArrayList<>();
        StringBuilder script = new StringBuilder();
        List<Integer> firstLines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Boolean> breaksOld = new ArrayList<>();
        int nextLine = 1;
        for (Change change : changeSet.getChanges()) {
            if (change instanceof DbmsTargetedChange targeted
                    && !DatabaseList.definitionMatches(targeted.getDbms(), database, true)) {
                continue; // runs on another database only
            }
            String name = Scope.getCurrentScope().getSingleton(ChangeFactory.class).getChangeMetaData(change)
                    .getName();
            boolean breaks = phase == ChangelogPhase.EXPAND
                    && BREAK_THE_OLD_VERSION.stream().anyMatch(type -> type.isInstance(change));
            if (breaks) {
                findings.add(Finding.of(Rule.DESTRUCTIVE_CHANGE_IN_EXPAND, file, line, where, name + " in expand"));
            }
            String sql;
            try {
                sql = sql(change, database);
            } catch (RuntimeException e) {
                findings.add(Finding.of(Rule.INVALID_MIGRATION, file, line, where, "Liquibase cannot generate the "
                        + "SQL of " + name + " for " + database.getShortName() + " (" + LiquibasePhases.message(e)
                        + ")"));
                continue;
            }
            firstLines.add(nextLine);
            names.add(name);
            breaksOld.add(breaks);
            script.append(sql).append('\n');
            nextLine += sql.split("\n", -1).length;
        }
        for (Finding finding : Verifier.lintPhaseSql(file, where, phase == ChangelogPhase.EXPAND, script.toString())) {
            int change = 0;
            while (change + 1 < firstLines.size() && firstLines.get(change + 1) <= finding.line()) {
                change++;
            }
            boolean repeats = breaksOld.get(change) && SAID_BY_PLACEMENT.contains(finding.ruleId());
            // a changeset with runInTransaction="false" runs CONCURRENTLY statements as they are
            boolean runsOutside = !changeSet.isRunInTransaction()
                    && finding.ruleId().equals(Rule.NOT_IN_TRANSACTION.id());
            if (!repeats && !runsOutside) {
                findings.add(new Finding(finding.ruleId(), finding.severity(), file, line,
                        where + " (" + names.get(change) + ")", finding.message(), finding.safeAlternative()));
            }
        }
        return findings;
    }

    /** The statements Liquibase would run for {@code change}, generated without a connection. */
    static String sql(Change change, Database database) {
        List<String> statements = new ArrayList<>();
        for (Sql sql : SqlGeneratorFactory.getInstance().generateSql(change, database)) {
            statements.add(sql.toSql());
        }
        return String.join(";\n", statements) + (statements.isEmpty() ? "" : ";");
    }

    private static String text(Changelog changelog, String file) {
        try (InputStream in = changelog.resources().getExisting(file).openInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidMigrationException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
