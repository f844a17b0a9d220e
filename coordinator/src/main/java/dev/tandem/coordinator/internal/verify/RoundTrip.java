package dev.tandem.coordinator.internal.verify;

import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.MigrationStatus;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.TandemException;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.sql.SqlScript;
import dev.tandem.coordinator.internal.sql.SqlStatement;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationOperation;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.Rule;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The dynamic half of {@code migrate verify}, on a scratch database (PostgreSQL or MariaDB) that nothing else
 * uses: set up the schema, apply earlier migrations, then for the migration under test expand → old and new
 * statements still run (or, captured ones, still prepare) → rollback leaves the catalog identical → expand →
 * backfill → contract, after which the catalog must be the schema the migration declares. A migration that passes
 * is left contracted, so the next one starts from it.
 */
public final class RoundTrip {
    /** A name as Tandem's messages and PostgreSQL's quote it. */
    static final Pattern DOUBLE_QUOTED = Pattern.compile("\"([^\"]+)\"");

    private final DataSource scratch;
    private final ScratchDialect kind;
    private final Tandem tandem;
    private String lastVersionSchema;

    public RoundTrip(DataSource scratch) {
        this.scratch = scratch;
        this.kind = on(scratch, ScratchDialect::of);
        this.tandem = Tandem.create(scratch, on(scratch, kind::config));
    }

    /**
     * Tandem's configuration on a scratch database: PostgreSQL's defaults, or on MariaDB the database itself and a
     * state database of its own.
     */
    public static TandemConfig config(DataSource scratch) {
        return on(scratch, c -> ScratchDialect.of(c).config(c));
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
                    run(c, statement.text());
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
        List<String> oldPath = kind.version(tandem.config(), lastVersionSchema);
        List<Finding> findings = new ArrayList<>();
        oldVersion.requireRunning(scratch, stateSchema, oldPath);
        List<String> before = dump();
        DeclaredSchema declared = declared(migration);
        if (!phase(migration, "expand", () -> tandem.expand(migration), findings)) {
            return findings;
        }
        String versionSchema = versionSchema(migration);
        List<String> newPath = kind.version(tandem.config(), versionSchema);
        UnaryOperator<String> culprit = error -> culprit(migration, error, kind.quotedName());
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
        return onScratch(c -> DeclaredSchema.of(kind, kind.dialect(c), migration, catalog(c),
                tandem.config().stateSchema()));
    }

    private CatalogSnapshot catalog(Connection c) throws SQLException {
        return kind.dialect(c).readCatalog(c, tandem.config().schema());
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @FunctionalInterface
    private interface ScratchWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T onScratch(ScratchWork<T> work) {
        return on(scratch, work);
    }

    private static <T> T on(DataSource scratch, ScratchWork<T> work) {
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

    private boolean phase(Migration migration, String name, Runnable step, List<Finding> findings) {
        try {
            step.run();
            return true;
        } catch (TandemException e) {
            findings.add(Finding.of(Rule.PHASE_FAILED, migration.source(), 0,
                    culprit(migration, e.getMessage(), kind.quotedName()), name + " failed: " + e.getMessage()));
            return false;
        }
    }

    /** {@link #culprit(Migration, String, Pattern)} for a message that quotes names as Tandem's do. */
    static String culprit(Migration migration, String message) {
        return culprit(migration, message, DOUBLE_QUOTED);
    }

    /**
     * The operation that most likely broke a statement: the first that names what the error names (quoted as
     * {@code quotedName} matches, the name in its last group), the only operation, or else just the migration.
     */
    static String culprit(Migration migration, String error, Pattern quotedName) {
        Matcher quoted = quotedName.matcher(error == null ? "" : error);
        while (quoted.find()) {
            Pattern name = Pattern.compile("\\b" + Pattern.quote(quoted.group(quoted.groupCount()).toLowerCase(Locale.ROOT)) + "\\b");
            for (int i = 0; i < migration.operations().size(); i++) {
                MigrationOperation operation = migration.operations().get(i);
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
        return onScratch(c -> kind.dump(c, tandem.config()));
    }
}
