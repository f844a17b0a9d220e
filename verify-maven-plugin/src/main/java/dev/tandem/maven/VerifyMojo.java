package dev.tandem.maven;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.TandemException;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.migration.Database;
import dev.tandem.coordinator.verify.DatabaseLogin;
import dev.tandem.coordinator.verify.ScratchServer;
import dev.tandem.coordinator.verify.Verification;
import dev.tandem.coordinator.verify.VerifyReport;
import dev.tandem.liquibase.ChangelogVerification;
import dev.tandem.verify.embedded.EmbeddedScratchServer;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code migrate verify} as a build step: the goal runs the same {@link Verification} as the CLI's verify
 * command, each parameter standing for the option of the same name, so both check exactly the same. Findings
 * fail the build (unless {@code failOnFindings} is false); bad input or a failure of the tool always does. The password for {@code url} and {@code oldCaptureUrl} comes from the
 * environment (TANDEM_PASSWORD), never from the POM.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class VerifyMojo extends AbstractMojo {
    /** Migration files (.yaml, .yml, .json) and plain .sql scripts, verified in name order. */
    @Parameter(property = "tandem.migrations", defaultValue = "${project.basedir}/src/main/resources/db/migrations",
            required = true)
    File migrations;

    /** A phase-labelled Liquibase changelog to verify instead of {@code migrations}. */
    @Parameter(property = "tandem.changelog")
    File changelog;

    /** Where Liquibase looks for {@code changelog} and the files it includes; default: its directory. */
    @Parameter(property = "tandem.changelogSearchPath")
    File changelogSearchPath;

    /** SQL that builds the schema the migrations start from. */
    @Parameter(property = "tandem.schemaSql")
    File schemaSql;

    /** Migrations already deployed, applied in order after schemaSql. */
    @Parameter
    List<File> applied = new ArrayList<>();

    /** The running version's statements (.sql files, or a directory of them). */
    @Parameter(property = "tandem.oldQueries")
    File oldQueries;

    /** The new version's statements (.sql files, or a directory of them). */
    @Parameter(property = "tandem.newQueries")
    File newQueries;

    /** pg_stat_statements exports (CSV with a header, or .json) of the running version. */
    @Parameter
    List<File> oldCaptures = new ArrayList<>();

    /** pg_stat_statements exports of the new version. */
    @Parameter
    List<File> newCaptures = new ArrayList<>();

    /** A database whose pg_stat_statements holds the running version's statements (read only). */
    @Parameter(property = "tandem.oldCaptureUrl")
    String oldCaptureUrl;

    /**
     * A PostgreSQL or MariaDB server for the scratch databases ({@code <scratchUrl>} in the POM too, like the CLI's
     * --scratch-url), e.g. {@code mariadb://root@127.0.0.1:3306/}; default: an embedded PostgreSQL (MariaDB has
     * none).
     */
    @Parameter(property = "tandem.url", alias = "scratchUrl")
    String url;

    /** The user for {@code url}. */
    @Parameter(property = "tandem.user")
    String user;

    /** Verify only what this database's Tandem state does not record. */
    @Parameter(property = "tandem.pendingOn")
    String pendingOn;

    /**
     * The database the migrations are for, {@code postgresql} or {@code mariadb}, whose rules lint reads raw SQL
     * with; default: the one {@code url} or {@code pendingOn} names, else PostgreSQL.
     */
    @Parameter(property = "tandem.database")
    String database;

    /** Each migration on its own scratch database. */
    @Parameter(property = "tandem.isolated", defaultValue = "false")
    boolean isolated;

    /** Lint only: no scratch database. */
    @Parameter(property = "tandem.noDatabase", defaultValue = "false")
    boolean noDatabase;

    /** JUnit XML report, one testcase per check. */
    @Parameter(property = "tandem.junitReport", defaultValue = "${project.build.directory}/tandem-verify.xml")
    File junitReport;

    /** JSON report, as {@code migrate verify --output json} prints it. */
    @Parameter(property = "tandem.jsonReport", defaultValue = "${project.build.directory}/tandem-verify.json")
    File jsonReport;

    /** Whether findings fail the build. */
    @Parameter(property = "tandem.failOnFindings", defaultValue = "true")
    boolean failOnFindings;

    @Parameter(property = "tandem.verify.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("tandem:verify skipped");
            return;
        }
        List<String> secrets = secrets();
        UnaryOperator<String> mask = text -> Secrets.mask(text, secrets);
        VerifyReport report;
        try {
            report = verify(verification());
            writeReports(report);
        } catch (RuntimeException | IOException e) {
            String message = mask.apply("migrate verify could not run: " + (e instanceof TandemException
                    ? e.getMessage() : e.toString()));
            getLog().error(message);
            throw new MojoExecutionException(message);
        }
        StringWriter text = new StringWriter();
        report.writeText(new PrintWriter(text), false);
        text.toString().lines().map(mask).forEach(getLog()::info);
        if (!report.passed()) {
            String message = mask.apply("migrate verify found problems; see above and " + junitReport);
            if (failOnFindings) {
                throw new MojoFailureException(message);
            }
            getLog().warn(message + " (failOnFindings is false)");
        }
    }

    /**
     * The passwords the URL parameters carry, and TANDEM_PASSWORD. Verify masks them in its messages; the goal
     * masks them again in every line it logs, as it cannot tell where a line came from.
     */
    private List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (String parameter : new String[] {url, oldCaptureUrl, pendingOn}) {
            secrets.addAll(Secrets.in(parameter));
        }
        String password = System.getenv(DatabaseLogin.PASSWORD_ENV);
        if (password != null) {
            secrets.add(password);
        }
        return secrets;
    }

    /** The verification these parameters stand for, with the same meaning as migrate verify's options. */
    Verification verification() {
        return Verification.builder()
                .schemaSql(path(schemaSql))
                .applied(paths(applied))
                .oldQueries(path(oldQueries))
                .newQueries(path(newQueries))
                .oldCaptures(paths(oldCaptures))
                .newCaptures(paths(newCaptures))
                .oldCaptureDatabase(oldCaptureUrl == null ? null : DatabaseLogin.fromEnvironment(oldCaptureUrl))
                .pendingOn(pendingOn == null ? null : DatabaseLogin.fromEnvironment(pendingOn))
                .scratchServer(noDatabase ? null : scratchServer())
                .isolated(isolated)
                .database(database == null ? DatabaseLogin.databaseOf(url, pendingOn) : Database.ofKey(database)
                        .orElseThrow(() -> new InvalidMigrationException("tandem.database: '" + database
                                + "' is no database Tandem migrates: postgresql or mariadb")))
                .build();
    }

    /** The server at {@code url}, or an embedded PostgreSQL. */
    private Supplier<ScratchServer> scratchServer() {
        return url == null ? EmbeddedScratchServer::start
                : () -> ScratchServer.on(DatabaseLogin.withEnvironmentPassword(url, user));
    }

    /** The changelog when one is named, else the migrations. */
    VerifyReport verify(Verification verification) {
        if (changelog == null) {
            return verification.verify(List.of(migrations.toPath()));
        }
        return ChangelogVerification.verify(verification, changelog.toPath(), path(changelogSearchPath));
    }

    private void writeReports(VerifyReport report) throws IOException {
        if (junitReport != null) {
            createParent(junitReport);
            report.writeJunit(junitReport.toPath());
        }
        if (jsonReport != null) {
            createParent(jsonReport);
            try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(jsonReport.toPath(),
                    StandardCharsets.UTF_8))) {
                report.writeJson(file);
            }
        }
    }

    private static void createParent(File file) throws IOException {
        Files.createDirectories(file.getAbsoluteFile().getParentFile().toPath());
    }

    private static Path path(File file) {
        return file == null ? null : file.toPath();
    }

    private static List<Path> paths(List<File> files) {
        return files.stream().map(File::toPath).toList();
    }
}
