package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The password is read from the environment and never printed, not even in a failure naming the URL. */
class PasswordTest {
    private static final String ENV_PASSWORD = "env-password-4711";
    private static final String URL_PASSWORD = "leak4711";

    @ParameterizedTest
    @ValueSource(strings = {
            // the driver's own message repeats the password: "Incorrect port value : leak4711@127.0.0.1"
            "jdbc:mariadb://root:" + URL_PASSWORD + "@127.0.0.1:3306/tandem_no_such_database",
            "jdbc:mariadb://address=(host=127.0.0.1)(port=3306)(password=" + URL_PASSWORD + ")/tandem_no_such_database",
            "jdbc:postgresql://127.0.0.1:5432/tandem_no_such_database?user=postgres&password=" + URL_PASSWORD,
            "postgres://postgres:" + URL_PASSWORD + "@127.0.0.1:5432/tandem_no_such_database",
            "mariadb://root:" + URL_PASSWORD + "@127.0.0.1:3306/tandem_no_such_database"})
    void noUrlFormShowsItsPassword(String url) {
        Cli.Result text = Cli.runRaw("status", "--url", url);
        Cli.Result json = Cli.runRaw("status", "--url", url, "--output", "json");

        assertThat(text.exitCode()).as(text.toString()).isEqualTo(ExitCodes.DATABASE);
        assertThat(text.err()).startsWith("migrate status: cannot connect: ").contains("<masked>");
        assertThat(text.toString()).doesNotContain(URL_PASSWORD);
        assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCodes.DATABASE);
        assertThat(json.json().path("error").path("message").asText()).startsWith("cannot connect: ")
                .contains("<masked>");
        assertThat(json.toString()).doesNotContain(URL_PASSWORD);
    }

    @Test
    void everyLineIsMaskedWhoeverWroteIt() {
        SecretMask secrets = new SecretMask();
        StringWriter target = new StringWriter();
        PrintWriter out = secrets.wrap(new PrintWriter(target));
        secrets.hide("hunter2");

        out.print("expand failed: bad password hun");
        out.print("ter2 for ");
        out.println("jdbc:mariadb://address=(host=h)(password=x y)/db");
        out.print("{\"message\":\"url postgres://u:pw@h/db?password=z\"}");
        out.flush();

        assertThat(target.toString()).isEqualTo("expand failed: bad password <masked> for "
                + "jdbc:mariadb://address=(host=h)(password=<masked>)/db\n"
                + "{\"message\":\"url postgres://u:<masked>@h/db?password=<masked>\"}");
    }

    @Test
    void passwordsNeverAppearInOutput(@TempDir Path dir) throws IOException, InterruptedException {
        Printed printed = status(dir, "jdbc:postgresql://127.0.0.1:5432/tandem_no_such_database?user=postgres"
                + "&password=secret");

        assertThat(printed.exitCode()).as(printed.toString()).isEqualTo(ExitCodes.DATABASE);
        assertThat(printed.err()).startsWith("migrate status: cannot connect: ")
                .contains("tandem_no_such_database")
                .endsWith("; url jdbc:postgresql://127.0.0.1:5432/tandem_no_such_database?user=postgres&password=<masked>\n");
        assertThat(printed.out() + printed.err()).doesNotContain("secret").doesNotContain(ENV_PASSWORD);
        assertThat(printed.out()).isEmpty();
    }

    /** MariaDB's driver logs each error the server sends; the command's own line is the only one printed. */
    @Test
    void aRefusedMariaDbLoginPrintsOnlyTheCommandsLine(@TempDir Path dir) throws IOException, InterruptedException {
        String url;
        try (MariaDbTestDatabase maria = MariaDbTestDatabase.create()) {
            url = maria.url(maria.name());
        }
        // the test server's user has no password: any refuses the login
        Printed printed = status(dir, url);

        assertThat(printed.exitCode()).as(printed.err()).isEqualTo(ExitCodes.DATABASE);
        assertThat(printed.err().lines()).singleElement().asString().startsWith("migrate status: cannot connect: ")
                .contains("Access denied for user").doesNotContain(ENV_PASSWORD);
    }

    /** What {@code migrate status --url URL} printed, run in a JVM of its own with {@code TANDEM_PASSWORD} set. */
    private static Printed status(Path dir, String url) throws IOException, InterruptedException {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "status", "--url", url)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // a separate JVM: the password must come from the real process environment
        builder.environment().put("TANDEM_PASSWORD", ENV_PASSWORD);
        int exitCode = builder.start().waitFor();
        return new Printed(exitCode, Files.readString(out), Files.readString(err));
    }

    private record Printed(int exitCode, String out, String err) {
    }
}
