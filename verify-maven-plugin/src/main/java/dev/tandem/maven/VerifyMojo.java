package dev.tandem.maven;

import dev.tandem.cli.ExitCodes;
import dev.tandem.cli.Migrate;
import dev.tandem.coordinator.internal.sql.Secrets;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code migrate verify} as a build step: the goal hands its parameters to the CLI's verify command, so both
 * check exactly the same. Findings fail the build (unless {@code failOnFindings} is false); bad input or a
 * failure of the tool always does. The password for {@code url} and {@code oldCaptureUrl} comes from the
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

    /** A PostgreSQL server for the scratch databases; default: an embedded PostgreSQL. */
    @Parameter(property = "tandem.url")
    String url;

    /** The user for {@code url}. */
    @Parameter(property = "tandem.user")
    String user;

    /** Verify only what this database's Tandem state does not record. */
    @Parameter(property = "tandem.pendingOn")
    String pendingOn;

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
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Migrate.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute(arguments().toArray(String[]::new));
        List<String> secrets = secrets();
        UnaryOperator<String> mask = text -> Secrets.mask(text, secrets);
        out.toString().lines().map(mask).forEach(getLog()::info);
        err.toString().lines().map(mask).forEach(getLog()::error);
        if (exitCode == ExitCodes.FINDINGS) {
            String message = mask.apply("migrate verify found problems; see above and " + junitReport);
            if (failOnFindings) {
                throw new MojoFailureException(message);
            }
            getLog().warn(message + " (failOnFindings is false)");
        } else if (exitCode != ExitCodes.OK) {
            throw new MojoExecutionException(mask.apply("migrate verify could not run (exit code " + exitCode + "): "
                    + err.toString().strip()));
        }
    }

    /**
     * The passwords the URL parameters carry. The CLI masks them in what it prints once its command runs; the goal
     * masks them again in every line it logs, as it cannot tell where a line came from.
     */
    private List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (String parameter : new String[] {url, oldCaptureUrl, pendingOn}) {
            secrets.addAll(Secrets.in(parameter));
        }
        return secrets;
    }

    /** The verify command line these parameters stand for. */
    List<String> arguments() throws MojoExecutionException {
        List<String> args = new ArrayList<>(List.of("verify"));
        if (changelog == null) {
            args.add(migrations.getPath());
        }
        option(args, "--changelog", changelog);
        option(args, "--search-path", changelogSearchPath);
        option(args, "--schema-sql", schemaSql);
        applied.forEach(file -> option(args, "--applied", file));
        option(args, "--old-queries", oldQueries);
        option(args, "--new-queries", newQueries);
        oldCaptures.forEach(file -> option(args, "--old-capture", file));
        newCaptures.forEach(file -> option(args, "--new-capture", file));
        option(args, "--old-capture-url", oldCaptureUrl);
        option(args, "--url", url);
        option(args, "--user", user);
        option(args, "--pending-on", pendingOn);
        option(args, "--junit", report(junitReport));
        option(args, "--json-report", report(jsonReport));
        if (isolated) {
            args.add("--isolated");
        }
        if (noDatabase) {
            args.add("--no-database");
        }
        return args;
    }

    private static void option(List<String> args, String name, Object value) {
        if (value != null) {
            args.add(name);
            args.add(value.toString());
        }
    }

    private static File report(File file) throws MojoExecutionException {
        if (file == null) {
            return null;
        }
        try {
            Files.createDirectories(file.getAbsoluteFile().getParentFile().toPath());
            return file;
        } catch (IOException e) {
            throw new MojoExecutionException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
    }
}
