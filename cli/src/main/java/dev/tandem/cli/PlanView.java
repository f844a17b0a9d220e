package dev.tandem.cli;

import dev.tandem.coordinator.PlanReport;
import dev.tandem.coordinator.PlannedBackfill;
import dev.tandem.coordinator.PlannedPhase;
import dev.tandem.coordinator.PlannedStatement;
import dev.tandem.coordinator.migration.Database;
import dev.tandem.coordinator.migration.Portability;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A migration's plan as {@code migrate plan} shows it: the same fields in text and in JSON. */
record PlanView(String migration, String schema, String versionSchema, String previousVersionSchema,
                Databases databases, List<Phase> phases, List<Target> backfill, List<Statement> backfillEnd) {

    /**
     * Which databases the file runs on, as far as the file tells.
     *
     * @param runsOn  their keys, as in a file's per-database expressions: postgresql, mariadb
     * @param refused for each other database, why
     * @param summary the line the text shows: "runs on: PostgreSQL, MariaDB" or "PostgreSQL only: …"
     */
    record Databases(List<String> runsOn, Map<String, String> refused, String summary) {
        static Databases of(Portability portability) {
            Map<String, String> refused = new LinkedHashMap<>();
            portability.refusals().forEach((database, why) -> refused.put(database.key(), why));
            return new Databases(portability.runsOn().stream().map(Database::key).toList(), refused,
                    portability.describe());
        }
    }

    /** The phases in the order a migration runs them, rollback last as the way back. */
    record Phase(String phase, List<Statement> statements) {
    }

    /**
     * @param stage        before_transaction, in_transaction or after_transaction
     * @param blocksWrites whether application writes wait while the lock is held
     */
    record Statement(String stage, String origin, List<String> sql, String lock, boolean blocksWrites,
                     String lockEffect) {
    }

    record Target(String table, List<String> key, List<Fill> columns) {
    }

    /** @param up the expression over the old row that fills the column */
    record Fill(String column, String up) {
    }

    static PlanView of(PlanReport report, Portability portability) {
        return new PlanView(report.migration(), report.schema(), report.versionSchema(),
                report.previousVersionSchema(), Databases.of(portability),
                List.of(phase(report.expand()), phase(report.contract()), phase(report.rollback())),
                report.backfill().stream().map(PlanView::target).toList(), phase(report.backfillEnd()).statements());
    }

    private static Phase phase(PlannedPhase plan) {
        return new Phase(plan.phase().label(), Stream.of(statements("before_transaction", plan.before()),
                statements("in_transaction", plan.main()), statements("after_transaction", plan.after()))
                .flatMap(List::stream).toList());
    }

    private static List<Statement> statements(String stage, List<PlannedStatement> planned) {
        return planned.stream().map(statement -> new Statement(stage, statement.origin(), statement.sql(),
                statement.lock(), statement.blocksWrites(), statement.lockEffect())).toList();
    }

    private static Target target(PlannedBackfill target) {
        return new Target(target.table(), target.key(),
                target.columns().stream().map(fill -> new Fill(fill.column(), fill.up())).toList());
    }
}
