package dev.tandem.cli;

import java.io.UncheckedIOException;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where a phase command's metrics go: an endpoint to scrape while it runs, a Pushgateway at its end. */
public final class MetricsOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "serve the run's metrics (Prometheus text format) at http://HOST:PORT/metrics while the "
                    + "command runs; 0 picks a free port; the address is printed on stderr")
    private Integer port;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "the address --metrics-port listens on; 0.0.0.0 for every interface "
                    + "(default: ${DEFAULT-VALUE})")
    private String host;

    @Option(names = "--metrics-push", paramLabel = "URL",
            description = "push the run's metrics to this Prometheus Pushgateway when the command ends: "
                    + "http://HOST:9091 (job tandem) or a grouping key URL http://HOST:9091/metrics/job/NAME/...")
    private String push;

    /** Serves {@code scrape} with {@code --metrics-port}; null without it. */
    MetricsEndpoint serve(Supplier<String> scrape) {
        if (port == null) {
            return null;
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(command.commandLine(), "--metrics-port must be between 0 and 65535, not "
                    + port);
        }
        try {
            return MetricsEndpoint.serve(host, port, scrape);
        } catch (UncheckedIOException e) {
            throw new ParameterException(command.commandLine(), "--metrics-port " + port + ": cannot listen on "
                    + host + ":" + port + " (" + e.getCause().getMessage() + ")");
        }
    }

    /** The Pushgateway, or null for none. */
    Pushgateway push() {
        if (push == null) {
            return null;
        }
        try {
            return Pushgateway.of(push);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--metrics-push: " + e.getMessage());
        }
    }
}
