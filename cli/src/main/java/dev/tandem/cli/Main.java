package dev.tandem.cli;

import java.io.PrintWriter;

/** Entry point of the {@code migrate} command (bin/migrate of the installation); the only place that ends the JVM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int exitCode = Migrate.commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }
}
