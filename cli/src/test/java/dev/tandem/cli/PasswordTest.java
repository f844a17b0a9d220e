package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password is read from the environment and never printed, not even in a failure naming the URL. */
class PasswordTest {
    private static final String ENV_PASSWORD = "env-password-4711";

    @Test
    void passwordsNeverAppearInOutput(@TempDir Path dir) throws IOException, InterruptedException {
        String url = "jdbc:postgresql://127.0.0.1:5432/tandem_no_such_database?user=postgres&password=secret";
        // A separate JVM: the password must come from the real process environment.
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "status", "--url", url)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("TANDEM_PASSWORD", ENV_PASSWORD);

        int exitCode = builder.start().waitFor();

        String printed = Files.readString(out) + Files.readString(err);
        assertThat(exitCode).as(printed).isEqualTo(ExitCodes.DATABASE);
        assertThat(Files.readString(err)).startsWith("migrate status: cannot connect: ")
                .contains("tandem_no_such_database")
                .endsWith("; url jdbc:postgresql://127.0.0.1:5432/tandem_no_such_database?user=postgres&password=<masked>\n");
        assertThat(printed).doesNotContain("secret").doesNotContain(ENV_PASSWORD);
        assertThat(Files.readString(out)).isEmpty();
    }
}
