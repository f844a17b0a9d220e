package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code migrate} in this JVM against one test database and keeps what it printed. */
final class Cli {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out, e);
            }
        }

        List<JsonNode> jsonLines() {
            return out.lines().map(line -> {
                try {
                    return JSON.readTree(line);
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON line: " + line, e);
                }
            }).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private final List<String> connection;

    Cli(TestDatabase db) {
        this(List.of("--url", db.url()));
    }

    /** Runs every command with {@code connection} appended: {@code --url …} and any option that goes with it. */
    Cli(List<String> connection) {
        this.connection = List.copyOf(connection);
    }

    /** {@code migrate ARGS --url <the test database>}. */
    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(connection);
        return runRaw(all.toArray(String[]::new));
    }

    static Result runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Migrate.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** {@code migrate ARGS} as if run in {@code workingDirectory} with only {@code env} set. */
    static Result runIn(Path workingDirectory, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Migrate.commandLine(new PrintWriter(out), new PrintWriter(err), env, workingDirectory)
                .execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** Copies an example migration of migrations-examples into {@code dir}, as a user's file would be. */
    static Path example(Path dir, String name) {
        try (InputStream in = Cli.class.getClassLoader().getResourceAsStream("migrations/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no example migration " + name);
            }
            Path file = dir.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
