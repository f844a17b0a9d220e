package dev.tandem.cli;

import dev.tandem.coordinator.migration.Database;
import dev.tandem.coordinator.verify.DatabaseLogin;
import dev.tandem.coordinator.verify.ScratchServer;
import dev.tandem.coordinator.verify.Verification;
import dev.tandem.coordinator.verify.VerifyReport;
import dev.tandem.liquibase.ChangelogVerification;
import dev.tandem.verify.embedded.EmbeddedScratchServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
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
            description = "the running version's statements as pg_stat_statements recorded them, or on MariaDB "
                    + "performance_schema's digests (CSV with a header, or .json): each must still prepare after "
                    + "expand; repeatable")
    private List<Path> oldCaptures = new ArrayList<>();

    @Option(names = "--new-capture", paramLabel = "FILE",
            description = "the new version's statements as pg_stat_statements recorded them (e.g. in staging): each "
                    + "must prepare against the new version after expand; repeatable")
    private List<Path> newCaptures = new ArrayList<>();

    @Option(names = "--old-capture-url", paramLabel = "JDBC_URL",
            description = "read the running version's statements from pg_stat_statements on this database, read "
                    + "only (user and password from env TANDEM_USER, TANDEM_PASSWORD)")
    private String oldCaptureUrl;

    @Option(names = {"--scratch-url", "--url"}, paramLabel = "URL",
            description = "a PostgreSQL or MariaDB server for scratch databases (created and dropped by verify; on "
                    + "MariaDB with their version and state databases), e.g. mariadb://root@127.0.0.1:3306/; "
                    + "default: an embedded PostgreSQL (MariaDB has none). Password from env TANDEM_PASSWORD")
    private String url;

    @Option(names = "--user", paramLabel = "NAME", description = "user for --scratch-url")
    private String user;

    @Option(names = "--pending-on", paramLabel = "JDBC_URL",
            description = "verify only the migrations that this database's Tandem state does not record (user and "
                    + "password from env TANDEM_USER, TANDEM_PASSWORD); the recorded ones are applied before them on "
                    + "the scratch database, like --applied")
    private String pendingOn;

    @Option(names = "--database", paramLabel = "postgresql|mariadb", converter = DatabaseConverter.class,
            description = "the database the migrations are for, whose rules lint reads raw SQL with; default: the "
                    + "one --scratch-url or --pending-on names, else PostgreSQL (MariaDB for a file that runs on "
                    + "MariaDB only)")
    private Database database;

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
        Verification verification = Verification.builder()
                .schemaSql(schemaSql)
                .applied(applied)
                .oldQueries(oldQueries)
                .newQueries(newQueries)
                .oldCaptures(oldCaptures)
                .newCaptures(newCaptures)
                .oldCaptureDatabase(oldCaptureUrl == null ? null : DatabaseLogin.fromEnvironment(oldCaptureUrl))
                .pendingOn(pendingOn == null ? null : DatabaseLogin.fromEnvironment(pendingOn))
                .scratchServer(lintOnly ? null : scratchServer())
                .isolated(isolated)
                .database(database != null ? database : DatabaseLogin.databaseOf(url, pendingOn))
                .build();
        if (changelog.file() != null) {
            TandemCommand.quietLiquibase();
            return report(ChangelogVerification.verify(verification, changelog.file(), changelog.searchPath()));
        }
        return report(verification.verify(paths));
    }

    /** {@code postgresql} or {@code mariadb}, as migration files name them. */
    static final class DatabaseConverter implements CommandLine.ITypeConverter<Database> {
        @Override
        public Database convert(String value) {
            return Database.ofKey(value).orElseThrow(() -> new CommandLine.TypeConversionException("'" + value
                            + "' is no database Tandem migrates: postgresql or mariadb"));
        }
    }

    /** The server at --scratch-url, or an embedded PostgreSQL. */
    private Supplier<ScratchServer> scratchServer() {
        return url == null ? EmbeddedScratchServer::start
                : () -> ScratchServer.on(DatabaseLogin.withEnvironmentPassword(url, user));
    }

    private int report(VerifyReport result) throws IOException {
        if (junit != null) {
            result.writeJunit(junit);
        }
        if (jsonReport != null) {
            try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(jsonReport, StandardCharsets.UTF_8))) {
                result.writeJson(file);
            }
        }
        if (output.json()) {
            result.writeJson(out());
        } else if (github) {
            result.writeGithubAnnotations(out());
        } else {
            result.writeText(out(), colours());
        }
        return result.passed() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    /** Colours only in a terminal, and never when NO_COLOR is set (https://no-color.org). */
    private static boolean colours() {
        String noColor = System.getenv("NO_COLOR");
        return System.console() != null && (noColor == null || noColor.isEmpty());
    }
}
