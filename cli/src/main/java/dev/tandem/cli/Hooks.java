package dev.tandem.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The executables of a hooks directory, run at the points of a phase as gh-ost runs its hooks: {@code pre-expand}
 * runs every file named {@code pre-expand} or {@code pre-expand.SOMETHING}, in name order, one after another. A hook
 * gets the run's context in {@code TANDEM_*} variables and no other {@code TANDEM_*} variable of this process (the
 * URL and the password among them); its output goes to stderr, each line after its name.
 */
final class Hooks {
    static final Hooks NONE = new Hooks(null, Duration.ZERO, null);
    private static final String PREFIX = "TANDEM_";

    private final Path dir;
    private final Duration timeout;
    private final PrintWriter err;

    /** @param dir null for no hooks */
    Hooks(Path dir, Duration timeout, PrintWriter err) {
        this.dir = dir;
        this.timeout = timeout;
        this.err = err;
    }

    boolean any() {
        return dir != null;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Runs the hooks of {@code point} with {@code variables} (names without the {@code TANDEM_} prefix) and
     * {@code TANDEM_HOOK=point}; stops at the first that fails.
     *
     * @return what went wrong with the hook that failed, or empty when all succeeded (or there are none)
     */
    Optional<String> run(String point, Map<String, String> variables) {
        for (Path hook : find(point)) {
            Optional<String> failure = runOne(hook, point, variables);
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    private List<Path> find(String point) {
        if (dir == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> {
                String name = file.getFileName().toString();
                return (name.equals(point) || name.startsWith(point + ".")) && !Files.isDirectory(file);
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the hooks directory " + dir, e);
        }
    }

    private Optional<String> runOne(Path hook, String point, Map<String, String> variables) {
        String name = hook.getFileName().toString();
        Path output = null;
        try {
            output = Files.createTempFile("tandem-hook-", ".log");
            ProcessBuilder builder = new ProcessBuilder(hook.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(key -> key.startsWith(PREFIX));
            environment.put(PREFIX + "HOOK", point);
            variables.forEach((key, value) -> environment.put(PREFIX + key, value));
            Process process = builder.start();
            process.getOutputStream().close();
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                // children first: once the hook is gone they are no longer its descendants
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
            }
            relay(name, output);
            if (!ended) {
                return Optional.of("hook " + name + " timed out after " + timeout.toSeconds() + " s (--hook-timeout) "
                        + "and was killed");
            }
            return process.exitValue() == 0 ? Optional.empty()
                    : Optional.of("hook " + name + " exited with " + process.exitValue());
        } catch (IOException e) {
            return Optional.of("hook " + name + " cannot run: " + e.getMessage()
                    + (Files.isExecutable(hook) ? "" : " (make it executable: chmod +x " + hook + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("hook " + name + " was interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** Copies the hook's output to stderr, each line after the hook's name; masked there like all output. */
    private void relay(String name, Path output) throws IOException {
        List<String> lines = new String(Files.readAllBytes(output), StandardCharsets.UTF_8).lines().toList();
        synchronized (err) {
            lines.forEach(line -> err.println("hook " + name + ": " + line));
            err.flush();
        }
    }
}
