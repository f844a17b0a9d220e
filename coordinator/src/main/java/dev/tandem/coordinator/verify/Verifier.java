package dev.tandem.coordinator.verify;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.migration.Database;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationOperation;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.migration.Portability;
import dev.tandem.coordinator.internal.operation.AddColumn;
import dev.tandem.coordinator.internal.operation.CreateTable;
import dev.tandem.coordinator.internal.operation.RawSql;
import dev.tandem.coordinator.internal.sql.SqlScript;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The static half of {@code migrate verify}: lints a migration file (YAML/JSON) operation by operation and
 * its raw {@code sql} steps statement by statement, or a plain .sql script as a whole, with the rules of the
 * database the SQL is for (PostgreSQL's unless told, or unless a migration runs on MariaDB only).
 */
public final class Verifier {
    private Verifier() {
    }

    /** Whether {@code file} is something {@link #lint} reads: a migration (.yaml, .yml, .json) or a .sql script. */
    public static boolean accepts(String file) {
        String name = file.toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json") || name.endsWith(".sql");
    }

    public static LintResult lint(String file, byte[] bytes) {
        return lint(file, bytes, null);
    }

    /**
     * @param database whose rules raw SQL is read with; null for PostgreSQL's, or MariaDB's for a migration that
     *                 runs on MariaDB only
     */
    public static LintResult lint(String file, byte[] bytes, Database database) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<Finding> findings = new ArrayList<>();
        List<Directive> directives = Directive.read(file, text, findings);
        String databases = null;
        if (file.toLowerCase(Locale.ROOT).endsWith(".sql")) {
            findings.addAll(SqlRules.of(database == null ? Database.POSTGRESQL : database, SqlRules.Placement.SCRIPT,
                    new HashSet<>(), file, null).check(SqlScript.split(text, 1)));
        } else {
            databases = lintMigration(file, bytes, text, database, findings);
        }
        List<Finding> kept = findings.stream()
                .filter(finding -> directives.stream().noneMatch(directive -> directive.disables(finding)))
                .toList();
        return new LintResult(kept, directives, databases);
    }

    /**
     * The directives of a file {@link #lint} does not read (a Liquibase changelog, say): its {@code #} and
     * {@code --} comments, an XML comment's {@code -->} left out of the reason.
     */
    public static List<Directive> directives(String file, String text, List<Finding> problems) {
        return Directive.read(file, text.replace("-->", ""), problems);
    }

    /**
     * Lints SQL that runs in one phase under Tandem's lock_timeout, as a Liquibase changeset labelled with the
     * phase does: {@code expand} places it like an expand-phase sql operation, anything else like a contract one.
     * Lines count from the SQL's first line; {@code where} names the changeset.
     */
    public static List<Finding> lintPhaseSql(String file, String where, boolean expand, String sql) {
        SqlRules.Placement placement = expand ? SqlRules.Placement.EXPAND : SqlRules.Placement.CONTRACT;
        return SqlRules.of(Database.POSTGRESQL, placement, new HashSet<>(), file, where).check(SqlScript.split(sql, 1));
    }

    /** @return which databases the file runs on, or null when it is no valid migration */
    private static String lintMigration(String file, byte[] bytes, String text, Database database,
                                        List<Finding> findings) {
        Migration migration;
        try {
            migration = new MigrationParser().parse(file, bytes);
        } catch (InvalidMigrationException e) {
            findings.add(Finding.of(Rule.INVALID_MIGRATION, file, 0, null, e.getMessage()));
            return null;
        }
        Portability portability = migration.portability();
        Database rules = database != null ? database
                : portability.runsOn().equals(List.of(Database.MARIADB)) ? Database.MARIADB : Database.POSTGRESQL;
        if (!portability.refusals().containsKey(rules)) {
            migration = migration.on(rules);
        }
        SourceLines lines = SourceLines.of(file, bytes, text);
        Set<String> createdTables = new HashSet<>();
        for (int i = 0; i < migration.operations().size(); i++) {
            MigrationOperation operation = migration.operations().get(i);
            String where = migration.describe(i);
            if (operation instanceof CreateTable create) {
                createdTables.add(create.table());
            } else if (operation instanceof AddColumn add && addsUnsyncedNotNull(add)) {
                findings.add(Finding.of(Rule.NOT_NULL_VOLATILE_DEFAULT, file, lines.operation(i), where,
                        "column '" + add.column().name() + "' of '" + add.table() + "'"));
            } else if (operation instanceof AddColumn add && upNeverFillsExistingRows(add)) {
                findings.add(Finding.of(Rule.CONSTANT_DEFAULT_WITH_UP, file, lines.operation(i), where,
                        "column '" + add.column().name() + "' of '" + add.table() + "'"));
            } else if (operation instanceof RawSql sql) {
                SqlRules.Placement placement = sql.phase().equals("expand") ? SqlRules.Placement.EXPAND
                        : SqlRules.Placement.CONTRACT;
                findings.addAll(SqlRules.of(rules, placement, createdTables, file, where)
                        .check(SqlScript.split(sql.sql(), lines.sql(i))));
            }
        }
        return portability.describe();
    }

    /** A constant default fills existing rows as the column appears, so the backfill of {@code up} finds none. */
    private static boolean upNeverFillsExistingRows(AddColumn add) {
        return add.up() != null && add.column().defaultExpression() != null
                && add.column().defaultExpression().isConstant();
    }

    private static boolean addsUnsyncedNotNull(AddColumn add) {
        return !add.column().isNullable() && add.up() == null && add.column().defaultExpression() != null
                && !add.column().defaultExpression().isConstant();
    }
}
