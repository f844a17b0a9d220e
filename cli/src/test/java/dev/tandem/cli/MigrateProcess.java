package dev.tandem.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code migrate} in a JVM of its own, as a shell would, so that a test can kill or stop the process. */
final class MigrateProcess {
    private MigrateProcess() {
    }

    /**
     * {@code migrate ARGUMENTS} on this test's class path.
     *
     * @param jvmOptions options of the JVM ({@code -Dname=value}), before the main class
     * @param output     where the process's stdout and stderr go
     */
    static Process start(List<String> jvmOptions, List<String> arguments, ProcessBuilder.Redirect output)
            throws IOException {
        return start(jvmOptions, arguments, Map.of(), output);
    }

    /** The same, with {@code environment} added to this process's. */
    static Process start(List<String> jvmOptions, List<String> arguments, Map<String, String> environment,
                         ProcessBuilder.Redirect output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
        builder.environment().putAll(environment);
        return builder.start();
    }
}
