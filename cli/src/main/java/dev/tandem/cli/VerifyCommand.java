package dev.tandem.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.verify.AppStatements;
import dev.tandem.coordinator.verify.Capture;
import dev.tandem.coordinator.verify.Finding;
import dev.tandem.coordinator.verify.LintResult;
import dev.tandem.coordinator.verify.QueryFile;
import dev.tandem.coordinator.verify.RoundTrip;
import dev.tandem.coordinator.verify.Rule;
import dev.tandem.coordinator.verify.Verifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "verify", description = "Check migrations before they are deployed: lint each operation and raw "
        + "SQL step for locks and phase placement, then on a scratch database run expand, the old and new "
        + "application's statements, rollback (the catalog must come back identical) and expand, backfill, "
        + "contract.", footer = VerifyCommand.EXIT_CODES)
final class VerifyCommand extends BaseCommand {
    static final String EXIT_CODES = "%nExit codes of verify:%n"
            + "  " + ExitCodes.OK + "  clean%n"
            + "  " + ExitCodes.FINDINGS + "  findings (each with a rule id and a safe alternative)%n"
            + "  " + ExitCodes.BAD_INPUT + "  bad input or tool error (unreadable file, failing setup, no scratch database)";

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "migration files (.yaml, .yml, .json), plain .sql scripts (lint only), or directories of "
                    + "them, verified in name order; not with --changelog")
    private List<Path> paths = new ArrayList<>();

    @Mixin
    private ChangelogOption changelog;

    @Option(names = "--schema-sql", paramLabel = "FILE",
            description = "SQL that builds the schema the migrations start from (e.g. a schema dump)")
    private Path schemaSql;

    @Option(names = "--applied", paramLabel = "FILE",
            description = "a migration already deployed, applied (expand, backfill, contract) after --schema-sql; "
                    + "repeatable, in order")
    private List<Path> applied = new ArrayList<>();

    @Option(names = "--old-queries", paramLabel = "DIR",
            description = "the running version's statements (.sql files): must still run after expand")
    private Path oldQueries;

    @Option(names = "--new-queries", paramLabel = "DIR",
            description = "the new version's statements (.sql files): must run against the new version after expand")
    private Path newQueries;

    @Option(names = "--old-capture", paramLabel = "FILE",
            description = "the running version's statements as pg_stat_statements recorded them (CSV with a header, "
                    + "or .json): each must still prepare after expand; repeatable")
    private List<Path> oldCaptures = new ArrayList<>();

    @Option(names = "--new-capture", paramLabel = "FILE",
            description = "the new version's statements as pg_stat_statements recorded them (e.g. in staging): each "
                    + "must prepare against the new version after expand; repeatable")
    private List<Path> newCaptures = new ArrayList<>();

    @Option(names = "--old-capture-url", paramLabel = "JDBC_URL",
            description = "read the running version's statements from pg_stat_statements on this database, read "
                    + "only (user and password from env TANDEM_USER, TANDEM_PASSWORD)")
    private String oldCaptureUrl;

    @Option(names = "--url", paramLabel = "JDBC_URL",
            description = "a PostgreSQL server for scratch databases (created and dropped by verify); default: an "
                    + "embedded PostgreSQL. Password from env TANDEM_PASSWORD")
    private String url;

    @Option(names = "--user", paramLabel = "NAME", description = "user for --url")
    private String user;

    @Option(names = "--pending-on", paramLabel = "JDBC_URL",
            description = "verify only the migrations that this database's Tandem state does not record (user and "
                    + "password from env TANDEM_USER, TANDEM_PASSWORD); the recorded ones are applied before them on "
                    + "the scratch database, like --applied")
    private String pendingOn;

    @Option(names = "--no-database", description = "lint only: no scratch database, no round trip")
    private boolean lintOnly;

    @Option(names = "--isolated", description = "verify each migration on its own scratch database (setup and "
            + "--applied only), instead of each on top of the ones before it")
    private boolean isolated;

    @Option(names = "--junit", paramLabel = "FILE", description = "also write a JUnit XML report, one testcase per check")
    private Path junit;

    @Option(names = "--json-report", paramLabel = "FILE",
            description = "also write the JSON report (as --output json prints it) to FILE")
    private Path jsonReport;

    @Option(names = "--github", description = "print GitHub Actions annotations (::error file=...,line=...::) "
            + "instead of text")
    private boolean github;

    @Override
    protected int doCall() throws IOException {
        if (paths.isEmpty() == (changelog.file() == null)) {
            throw new ParameterException(spec.commandLine(), "name either migration PATHs or --changelog FILE");
        }
        if (changelog.file() != null) {
            return report(ChangelogChecks.verify(changelog, lintOnly ? null : new ChangelogChecks.Scratch(url, user,
                    schemaSql, oldVersion(), newVersion())));
        }
        List<Path> files = files();
        VerifyChecks result = new VerifyChecks();
        List<Migration> migrations = new ArrayList<>();
        Set<String> recorded = pendingOn == null ? Set.of() : RecordedMigrations.on(pendingOn);
        List<Migration> recordedFiles = new ArrayList<>();
        for (Path file : files) {
            Optional<Migration> known = recorded.isEmpty() ? Optional.empty() : parsed(file)
                    .filter(migration -> recorded.contains(migration.name()));
            if (known.isPresent()) {
                recordedFiles.add(known.get());
                result.alreadyApplied(display(file));
                continue;
            }
            LintResult lint = Verifier.lint(display(file), read(file));
            result.add(display(file), "lint", lint.findings());
            result.disabled(lint.directives());
            boolean valid = lint.findings().stream().noneMatch(f -> f.ruleId().equals("TDM002"));
            if (valid && !file.toString().toLowerCase(Locale.ROOT).endsWith(".sql")) {
                migrations.add(new MigrationParser().parse(display(file), read(file)));
            }
        }
        if (!lintOnly && !migrations.isEmpty()) {
            roundTrips(recordedFiles, migrations, result);
        }
        return report(result);
    }

    private int report(VerifyChecks result) throws IOException {
        if (junit != null) {
            VerifyReports.junit(result, junit);
        }
        if (jsonReport != null) {
            try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(jsonReport, StandardCharsets.UTF_8))) {
                VerifyReports.json(result, file);
            }
        }
        if (output.json()) {
            VerifyReports.json(result, out());
        } else if (github) {
            VerifyReports.github(result, out());
        } else {
            VerifyReports.text(result, out(), VerifyReports.colours());
        }
        return result.findings().isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private void roundTrips(List<Migration> recordedFiles, List<Migration> migrations, VerifyChecks result)
            throws IOException {
        AppStatements old = oldVersion();
        AppStatements next = newVersion();
        String setup = schemaSql == null ? "" : new String(read(schemaSql), StandardCharsets.UTF_8);
        List<Migration> deployed = new ArrayList<>(applied.stream().map(MigrationFiles::read).toList());
        deployed.addAll(recordedFiles);
        try (ScratchServer server = ScratchServer.start(url, user)) {
            RoundTrip roundTrip = null;
            for (Migration migration : migrations) {
                if (roundTrip == null || isolated) {
                    roundTrip = new RoundTrip(server.newDatabase());
                    roundTrip.setup(schemaSql == null ? "" : display(schemaSql), setup);
                    deployed.forEach(roundTrip::apply);
                }
                List<Finding> findings = roundTrip.verify(migration, old, next);
                if (setup.isEmpty() && deployed.isEmpty()) {
                    requireNoMissingSchema(migration, findings);
                }
                result.add(migration.source(), "database", findings);
            }
        }
    }

    /**
     * On an empty scratch database a migration that changes existing tables fails for want of them: that is a
     * missing --schema-sql, a setup error, not a finding about the migration.
     */
    private static void requireNoMissingSchema(Migration migration, List<Finding> findings) {
        for (Finding finding : findings) {
            if (finding.ruleId().equals(Rule.PHASE_FAILED.id()) && finding.message().contains(" does not exist")) {
                throw new InvalidMigrationException(migration.source() + ": verify ran it on an empty scratch "
                        + "database, where it fails (" + finding.message().replaceFirst(": " + Pattern.quote(
                        Rule.PHASE_FAILED.problem()) + "$", "") + "); give the schema the migrations start from "
                        + "with --schema-sql FILE (a schema-only dump), or the migrations before it with --applied");
            }
        }
    }

    private AppStatements oldVersion() throws IOException {
        return new AppStatements(queries(oldQueries), captures(oldCaptures, oldCaptureUrl));
    }

    private AppStatements newVersion() throws IOException {
        return new AppStatements(queries(newQueries), captures(newCaptures, null));
    }

    /** The migration in {@code file}, or empty for a script or a file that does not parse (lint reports it). */
    private static Optional<Migration> parsed(Path file) {
        if (file.toString().toLowerCase(Locale.ROOT).endsWith(".sql")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MigrationParser().parse(display(file), read(file)));
        } catch (InvalidMigrationException e) {
            return Optional.empty();
        }
    }

    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    listing.filter(Files::isRegularFile).filter(p -> Verifier.accepts(p.getFileName().toString()))
                            .sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new InvalidMigrationException(path + ": no such file or directory");
            }
        }
        if (files.isEmpty()) {
            throw new InvalidMigrationException(paths + ": no migration files (.yaml, .yml, .json, .sql)");
        }
        return files;
    }

    private static List<QueryFile> queries(Path location) throws IOException {
        if (location == null) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> listing = Files.list(location)) {
                listing.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                        .sorted().forEach(files::add);
            }
        } else {
            files.add(location);
        }
        List<QueryFile> queries = new ArrayList<>();
        for (Path file : files) {
            queries.add(new QueryFile(display(file), new String(read(file), StandardCharsets.UTF_8)));
        }
        return queries;
    }

    private static List<Capture> captures(List<Path> files, String liveUrl) {
        List<Capture> captures = new ArrayList<>();
        for (Path file : files) {
            captures.add(Capture.read(display(file), new String(read(file), StandardCharsets.UTF_8)));
        }
        if (liveUrl != null) {
            try (HikariDataSource pool = EnvPool.open(liveUrl, "tandem-verify-capture")) {
                captures.add(Capture.live("pg_stat_statements of " + serverAndDatabase(liveUrl), pool));
            } catch (RuntimeException e) {
                throw new DatabaseException("--old-capture-url: " + Secrets.mask(e.getMessage()) + "; url "
                        + Secrets.mask(liveUrl));
            }
        }
        return captures;
    }

    /** What findings call a live capture: no user, password or other parameter of the URL. */
    private static String serverAndDatabase(String url) {
        return url.replaceFirst("^jdbc:", "").replaceFirst("\\?.*$", "").replaceFirst("//[^/@]*@", "//");
    }

    /** Paths as given (relative stays relative), so CI annotations point into the repository. */
    private static String display(Path file) {
        return file.normalize().toString();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidMigrationException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
