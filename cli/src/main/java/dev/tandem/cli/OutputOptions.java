package dev.tandem.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --output text|json}, shared by every command. */
public final class OutputOptions {
    private static final String NAME = "--output";

    public enum Format { TEXT, JSON }

    @Option(names = NAME, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json: one JSON document on stdout, failures included (default: ${DEFAULT-VALUE})")
    private Format format;

    public boolean json() {
        return format == Format.JSON;
    }

    /**
     * Whether the arguments, or else env or the config file, ask for JSON. Read from the raw arguments because a
     * failure may come before or while they are parsed, and it still has to be reported in the format asked for.
     */
    static boolean jsonRequested(List<String> args, OptionDefaults defaults) {
        String value = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(NAME) && i + 1 < args.size()) {
                value = args.get(i + 1);
            } else if (arg.startsWith(NAME + "=")) {
                value = arg.substring(NAME.length() + 1);
            }
        }
        if (value == null) {
            try {
                value = defaults.value(NAME.substring(2));
            } catch (ParameterException brokenConfigFile) {
                // that failure is the one being reported
            }
        }
        return value != null && value.toUpperCase(Locale.ROOT).equals(Format.JSON.name());
    }
}
