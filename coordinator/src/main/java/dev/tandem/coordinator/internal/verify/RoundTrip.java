package dev.tandem.coordinator.internal.verify;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.TandemException;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresCatalogDump;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresDialect;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresScratch;
import dev.tandem.coordinator.internal.operation.Operation;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.sql.SqlScript;
import dev.tandem.coordinator.internal.sql.SqlStatement;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.Rule;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The dynamic half of {@code migrate verify}, on a scratch database that nothing else uses: set up the schema,
 * apply earlier migrations, then for the migration under test expand → old and new statements still run (or,
 * captured ones, still prepare) → rollback leaves the catalog identical → expand → backfill → contract, after
 * which the catalog must be the schema the migration declares. A migration that passes is left contracted, so
 * the next one starts from it.
 */
public final class RoundTrip {
    private static final Pattern QUOTED_NAME = Pattern.compile("\"([^\"]+)\"");

    private final DataSource scratch;
    private final Tandem tandem;
    private String lastVersionSchema;

    public RoundTrip(DataSource scratch) {
        this.scratch = scratch;
        TandemConfig config = TandemConfig.builder().build();
        this.tandem = Tandem.create(scratch, config);
    }

    /**
     * Runs a setup script (the schema the migrations start from).
     *
     * @throws InvalidMigrationException when a statement fails: the setup is wrong, not the migration
     */
    public void setup(String file, String sql) {
        try (Connection c = scratch.getConnection()) {
            for (SqlStatement statement : SqlScript.split(sql, 1)) {
                try {
                    PostgresScratch.run(c, statement.text());
                } catch (SQLException e) {
                    throw new InvalidMigrationException(file + ":" + statement.line() + ": setup statement failed: "
                            + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("scratch database: " + e.getMessage(), e);
        }
    }

    /** Applies a migration that is already deployed: expand, backfill, contract. */
    public void apply(Migration migration) {
        try {
            complete(migration);
        } catch (TandemException e) {
            throw new InvalidMigrationException(migration.source() + ": an applied migration does not apply to the "
                    + "setup schema: " + e.getMessage(), e);
        }
    }

    /** Checks {@code migration} with the statements of query files only. */
    public List<Finding> verify(Migration migration, List<QueryFile> oldQueries, List<QueryFile> newQueries) {
        return verify(migration, AppStatements.of(oldQueries), AppStatements.of(newQueries));
    }

    /** Checks {@code migration}; the findings are empty when every step passed. */
    public List<Finding> verify(Migration migration, AppStatements oldVersion, AppStatements newVersion) {
        String stateSchema = tandem.config().stateSchema();
        List<String> oldPath = lastVersionSchema == null ? List.of("public") : List.of(lastVersionSchema, "public");
        List<Finding> findings = new ArrayList<>();
        oldVersion.requireRunning(scratch, stateSchema, oldPath);
        List<String> before = dump();
        DeclaredSchema declared = declared(migration);
        if (!phase(migration, "expand", () -> tandem.expand(migration), findings)) {
            return findings;
        }
        String versionSchema = versionSchema(migration);
        List<String> newPath = List.of(versionSchema, "public");
        UnaryOperator<String> culprit = error -> culprit(migration, error);
        findings.addAll(oldVersion.check(scratch, stateSchema, oldPath, Rule.OLD_QUERY_BROKEN, migration.source(),
                culprit));
        findings.addAll(newVersion.check(scratch, stateSchema, newPath, Rule.NEW_QUERY_BROKEN, migration.source(),
                culprit));
        if (!phase(migration, "rollback", () -> tandem.rollback(migration.name()), findings)) {
            return findings;
        }
        List<String> after = dump();
        if (!after.equals(before)) {
            findings.add(Finding.of(Rule.ROLLBACK_NOT_CLEAN, migration.source(), 0, null, difference(before, after)));
            return findings;
        }
        if (phase(migration, "expand again after rollback", () -> tandem.expand(migration), findings)
                && phase(migration, "backfill", () -> tandem.backfill(migration.name(), BackfillListener.NONE), findings)
                && phase(migration, "contract", () -> tandem.contract(migration.name()), findings)) {
            lastVersionSchema = versionSchema;
            if (declared != null) {
                findings.addAll(onScratch(c -> declared.compare(c, catalog(c))));
            }
        }
        return findings;
    }

    private DeclaredSchema declared(Migration migration) {
        return onScratch(c -> DeclaredSchema.of(dialect(c), migration, catalog(c), tandem.config().stateSchema()));
    }

    private CatalogSnapshot catalog(Connection c) throws SQLException {
        return dialect(c).readCatalog(c, tandem.config().schema());
    }

    private static PostgresDialect dialect(Connection c) throws SQLException {
        return new PostgresDialect(c.getMetaData().getDatabaseMajorVersion());
    }

    @FunctionalInterface
    private interface ScratchWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T onScratch(ScratchWork<T> work) {
        try (Connection c = scratch.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseException("scratch database: " + e.getMessage(), e);
        }
    }

    private void complete(Migration migration) {
        tandem.expand(migration);
        tandem.backfill(migration.name(), BackfillListener.NONE);
        tandem.contract(migration.name());
        lastVersionSchema = versionSchema(migration);
    }

    private String versionSchema(Migration migration) {
        return tandem.status().stream().filter(status -> status.name().equals(migration.name()))
                .map(MigrationStatus::versionSchema).findFirst().orElseThrow();
    }

    private static boolean phase(Migration migration, String name, Runnable step, List<Finding> findings) {
        try {
            step.run();
            return true;
        } catch (TandemException e) {
            findings.add(Finding.of(Rule.PHASE_FAILED, migration.source(), 0, culprit(migration, e.getMessage()),
                    name + " failed: " + e.getMessage()));
            return false;
        }
    }

    /**
     * The operation that most likely broke a statement: the first that names what the error names, the only
     * operation, or else just the migration.
     */
    static String culprit(Migration migration, String error) {
        Matcher quoted = QUOTED_NAME.matcher(error == null ? "" : error);
        while (quoted.find()) {
            Pattern name = Pattern.compile("\\b" + Pattern.quote(quoted.group(1).toLowerCase(Locale.ROOT)) + "\\b");
            for (int i = 0; i < migration.operations().size(); i++) {
                Operation operation = migration.operations().get(i);
                if (name.matcher(operation.toString().toLowerCase(Locale.ROOT)).find()) {
                    return migration.name() + " " + migration.describe(i);
                }
            }
        }
        return migration.operations().size() == 1 ? migration.name() + " " + migration.describe(0) : migration.name();
    }

    private static String difference(List<String> before, List<String> after) {
        List<String> gone = before.stream().filter(line -> !after.contains(line)).limit(5).toList();
        List<String> added = after.stream().filter(line -> !before.contains(line)).limit(5).toList();
        return "after rollback, missing: " + gone + "; left behind: " + added;
    }

    private List<String> dump() {
        return onScratch(c -> PostgresCatalogDump.dump(c, tandem.config().stateSchema()));
    }
}
