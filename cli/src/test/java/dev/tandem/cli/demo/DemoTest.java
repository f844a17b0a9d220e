package dev.tandem.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class DemoTest {
    @Test
    void migratesWhileBothVersionsWorkAndVerifiesTheData() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exitCode = Demo.run(new PrintWriter(out), new PrintWriter(err));
        System.out.print(out); // kept in the test's output file, to read what the demo showed

        assertThat(exitCode).as("exit code; output:%n%s%n%s", out, err).isZero();
        assertThat(out.toString()).contains("demo verified");
    }
}
