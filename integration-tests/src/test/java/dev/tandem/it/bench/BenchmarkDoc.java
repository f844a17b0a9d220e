package dev.tandem.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * docs/benchmarks.md holds the output of several benchmarks next to notes written by hand: each benchmark
 * replaces only the part between its own two marker comments, and appends it the first time.
 */
final class BenchmarkDoc {
    private BenchmarkDoc() {
    }

    static void writeSection(Path file, String benchmark, String body) throws IOException {
        String begin = "<!-- begin: written by " + benchmark + ", do not edit by hand -->\n";
        String end = "<!-- end: written by " + benchmark + " -->\n";
        String doc = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        if (from >= 0 && to > from) {
            doc = doc.substring(0, from + begin.length()) + body + doc.substring(to);
        } else {
            doc = doc + (doc.endsWith("\n\n") ? "" : "\n") + begin + body + end;
        }
        Files.writeString(file, doc);
        System.err.println("wrote " + benchmark + "'s section of " + file.toAbsolutePath());
    }
}
