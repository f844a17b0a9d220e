package dev.tandem.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.coordinator.verify.Verification;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal as Maven runs it, with its parameters set as a POM would set them. */
class VerifyMojoTest {
    private static final String SERVER = System.getenv().getOrDefault("TANDEM_PG_URL", TestDatabase.DEFAULT_URL);
    private static final File EXAMPLES = new File("../migrations-examples/src/main/resources/migrations");
    private static final File SHOP = new File("../migrations-examples/src/main/resources/schema/shop.sql");
    private static final File CHANGELOG_ROOT = new File("../migrations-examples/src/main/resources");

    @TempDir
    Path dir;

    private VerifyMojo mojo(File migrations) {
        VerifyMojo mojo = new VerifyMojo();
        mojo.migrations = migrations;
        mojo.junitReport = dir.resolve("target/tandem-verify.xml").toFile();
        mojo.jsonReport = dir.resolve("target/tandem-verify.json").toFile();
        mojo.failOnFindings = true;
        return mojo;
    }

    @Test
    void theExamplesPassAndTheReportsAreWritten() throws Exception {
        VerifyMojo mojo = mojo(EXAMPLES);
        mojo.schemaSql = SHOP;
        mojo.isolated = true;
        mojo.url = SERVER;
        mojo.execute();
        assertThat(Files.readString(mojo.junitReport.toPath())).contains("failures=\"0\"");
        assertThat(Files.readString(mojo.jsonReport.toPath())).contains("\"clean\":true");
    }

    @Test
    void onAMariaDbScratchServerTheRoundTripRunsAndABrokenOldStatementFailsTheBuild() throws Exception {
        String mariaDb = System.getenv().getOrDefault("TANDEM_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/?user=root");
        File shop = new File("../migrations-examples/src/main/resources/schema/shop-mariadb.sql");
        VerifyMojo clean = mojo(new File(EXAMPLES, "rename_column.yaml"));
        clean.schemaSql = shop;
        clean.url = mariaDb;
        clean.execute();
        assertThat(Files.readString(clean.jsonReport.toPath())).contains("\"clean\":true");

        Path file = Files.writeString(dir.resolve("priority.yaml"), "# tandem:disable TDM117, TDM118, TDM119 reason: "
                + "database checks\nname: priority\noperations:\n  - sql:\n      phase: expand\n"
                + "      sql: ALTER TABLE orders ADD COLUMN priority int NOT NULL\n"
                + "      rollback: ALTER TABLE orders DROP COLUMN priority\n");
        VerifyMojo broken = mojo(file.toFile());
        broken.schemaSql = shop;
        broken.url = mariaDb;
        broken.oldQueries = Files.writeString(dir.resolve("old.sql"),
                "INSERT INTO orders (customer_id, note) VALUES (1, 'ring twice');\n").toFile();
        assertThatThrownBy(broken::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("found problems");
        assertThat(Files.readString(broken.jsonReport.toPath())).contains("\"rule_id\":\"TDM303\"")
                .contains("old.sql");
    }

    @Test
    void findingsFailTheBuildUnlessTurnedOff() throws Exception {
        Path file = Files.writeString(dir.resolve("index.yaml"), "name: note_index\noperations:\n  - sql:\n"
                + "      phase: expand\n      sql: CREATE INDEX orders_note_idx ON orders (note)\n"
                + "      rollback: DROP INDEX orders_note_idx\n");
        VerifyMojo mojo = mojo(file.toFile());
        mojo.noDatabase = true;
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("found problems");
        assertThat(Files.readString(mojo.jsonReport.toPath())).contains("\"rule_id\":\"TDM101\"");
        mojo.failOnFindings = false;
        mojo.execute();
    }

    @Test
    void badInputIsAnExecutionError() {
        VerifyMojo mojo = mojo(dir.resolve("no-such-directory").toFile());
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("could not run").hasMessageContaining("no such file or directory");
    }

    @Test
    void aPasswordInAUrlParameterNeverReachesTheLog() {
        String password = "Hunter2Secret";
        for (String url : List.of("postgres://tandem:" + password + "@127.0.0.1:1/nowhere",
                "postgresql://tandem:" + password + "@127.0.0.1:notaport/nowhere",
                "jdbc:postgresql://127.0.0.1:1/nowhere?user=tandem&password=" + password)) {
            VerifyMojo mojo = mojo(EXAMPLES);
            mojo.schemaSql = SHOP;
            mojo.url = url;
            mojo.pendingOn = url;
            List<String> logged = new ArrayList<>();
            mojo.setLog(new SystemStreamLog() {
                @Override
                public void info(CharSequence content) {
                    logged.add(content.toString());
                }

                @Override
                public void warn(CharSequence content) {
                    logged.add(content.toString());
                }

                @Override
                public void error(CharSequence content) {
                    logged.add(content.toString());
                }
            });

            assertThatThrownBy(mojo::execute).as(url).isInstanceOf(MojoExecutionException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
            assertThat(logged).as(url).isNotEmpty().noneMatch(line -> line.contains(password));
        }
    }

    @Test
    void everyParameterBecomesTheSameVerificationSetting() {
        VerifyMojo mojo = mojo(EXAMPLES);
        mojo.oldQueries = new File("old");
        mojo.oldCaptures.add(new File("old.csv"));
        mojo.newCaptures.add(new File("new.json"));
        mojo.oldCaptureUrl = "jdbc:postgresql://db/shop";
        mojo.isolated = true;
        Verification verification = mojo.verification();
        assertThat(verification.oldQueries()).isEqualTo(Path.of("old"));
        assertThat(verification.oldCaptures()).containsExactly(Path.of("old.csv"));
        assertThat(verification.newCaptures()).containsExactly(Path.of("new.json"));
        assertThat(verification.oldCaptureDatabase().url()).isEqualTo("jdbc:postgresql://db/shop");
        assertThat(verification.isolated()).isTrue();
        assertThat(verification.scratchServer()).as("not lint only").isNotNull();
        mojo.noDatabase = true;
        assertThat(mojo.verification().scratchServer()).isNull();
    }

    @Test
    void aChangelogTakesThePlaceOfTheMigrations() throws Exception {
        VerifyMojo mojo = mojo(EXAMPLES);
        mojo.changelog = new File(CHANGELOG_ROOT, "liquibase/shop-changelog.xml");
        mojo.changelogSearchPath = CHANGELOG_ROOT;
        mojo.noDatabase = true;
        mojo.execute();
        assertThat(Files.readString(mojo.jsonReport.toPath())).contains("\"clean\":true")
                .contains("liquibase/shop-changelog.xml").doesNotContain(".yaml");
    }
}
