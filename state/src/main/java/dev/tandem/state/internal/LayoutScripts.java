package dev.tandem.state.internal;

import dev.tandem.state.DatabaseKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The DDL of the state layout, as resources per database: {@code layout.sql} (the schema and its version table)
 * and {@code step-N.sql}, which brings layout N-1 (or none) to N. Each statement ends with a semicolon at the end
 * of a line; lines starting with {@code --} are comments; {@code ${state}} stands for the quoted state schema.
 */
public final class LayoutScripts {
    private LayoutScripts() {
    }

    public static List<String> statements(DatabaseKind kind, String script, String stateSchema) {
        String path = "/dev/tandem/state/" + kind.name().toLowerCase(Locale.ROOT) + "/" + script + ".sql";
        String text;
        try (InputStream in = LayoutScripts.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String code = text.lines().filter(line -> !line.startsWith("--")).collect(Collectors.joining("\n"));
        return Arrays.stream(code.split(";\\s*(\\n|$)")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.replace("${state}", kind.ident(stateSchema))).toList();
    }
}
