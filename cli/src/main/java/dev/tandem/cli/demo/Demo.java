package dev.tandem.cli.demo;

import java.io.PrintWriter;

/** Placeholder until the demo lands. */
public final class Demo {
    private Demo() {
    }

    public static int run(PrintWriter out, PrintWriter err) {
        err.println("demo not available");
        return 1;
    }
}
