package dev.tandem.coordinator.internal.verify;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.sql.SqlScript;
import dev.tandem.coordinator.internal.sql.SqlStatement;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.Rule;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The statements of one application version for the compatibility check: {@code .sql} files, run as they are
 * (each rolled back), and captures (pg_stat_statements on PostgreSQL, performance_schema's digests on
 * MariaDB), prepared only (their {@code $n} or {@code ?} have no values). A version is named by its schemas:
 * PostgreSQL's search_path, first first, or on MariaDB the one database its sessions use.
 */
public record AppStatements(List<QueryFile> files, List<Capture> captures) {
    public static final AppStatements NONE = new AppStatements(List.of(), List.of());

    public AppStatements {
        files = List.copyOf(files);
        captures = List.copyOf(captures);
    }

    public static AppStatements of(List<QueryFile> files) {
        return new AppStatements(files, List.of());
    }

    /**
     * Old statements must run before the change, or a failure after it would say nothing about it.
     *
     * @throws InvalidMigrationException naming the first statement that fails
     */
    public void requireRunning(DataSource scratch, String stateSchema, List<String> searchPath) {
        runEach(scratch, stateSchema, searchPath, (statement, version, error) -> {
            throw new InvalidMigrationException(statement.location() + ": " + statement.prefix()
                    + "fails before the migration already: " + error.getMessage(), error);
        });
    }

    /**
     * Runs or prepares every statement as its version would with {@code searchPath} (see above); each failure
     * becomes a finding of {@code rule}.
     *
     * @param brokenBy the change under test, as the finding names it (a migration file, a changelog phase)
     * @param culprit  the operation an error message points at, or null when none can be told
     */
    public List<Finding> check(DataSource scratch, String stateSchema, List<String> searchPath, Rule rule,
                               String brokenBy, UnaryOperator<String> culprit) {
        List<Finding> findings = new ArrayList<>();
        runEach(scratch, stateSchema, searchPath, (statement, version, error) -> findings.add(new Finding(rule.id(),
                rule.severity(), statement.file(), statement.line(), culprit.apply(error.getMessage()),
                statement.prefix() + version + ": " + firstLine(error.getMessage()) + "; broken by " + brokenBy
                        + ": " + rule.problem(),
                rule.alternative())));
        return findings;
    }

    /**
     * One statement: from a query file (run, then rolled back) or a capture (only prepared: parsed and analysed
     * with its parameter types inferred, never executed).
     *
     * @param label "queryid N" for a captured statement, else null
     */
    private record Statement(String file, int line, String label, String sql, boolean captured) {
        String location() {
            return line == 0 ? file : file + ":" + line;
        }

        String prefix() {
            return label == null ? "" : label + ": ";
        }
    }

    private List<Statement> statements(String stateSchema) {
        List<Statement> statements = new ArrayList<>();
        for (QueryFile query : files) {
            for (SqlStatement statement : SqlScript.split(query.text(), 1)) {
                statements.add(new Statement(query.file(), statement.line(), null, statement.text(), false));
            }
        }
        for (Capture capture : captures) {
            for (Capture.Entry entry : capture.checkable(stateSchema)) {
                statements.add(new Statement(capture.source(), entry.line(), entry.label(), entry.query(), true));
            }
        }
        return statements;
    }

    @FunctionalInterface
    private interface StatementFailure {
        /** @param version the version the statement ran as, as findings name it */
        void failed(Statement statement, String version, SQLException error);
    }

    private void runEach(DataSource scratch, String stateSchema, List<String> searchPath, StatementFailure failure) {
        List<Statement> statements = statements(stateSchema);
        if (statements.isEmpty()) {
            return;
        }
        try (Connection c = scratch.getConnection()) {
            ScratchDialect kind = ScratchDialect.of(c);
            for (Statement statement : statements) {
                try {
                    if (statement.captured()) {
                        kind.prepare(c, searchPath, statement.sql());
                    } else {
                        kind.runRolledBack(c, searchPath, statement.sql());
                    }
                } catch (SQLException e) {
                    failure.failed(statement, kind.describe(searchPath), e);
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("scratch database: " + e.getMessage(), e);
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
