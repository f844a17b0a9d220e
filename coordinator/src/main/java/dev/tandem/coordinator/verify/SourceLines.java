package dev.tandem.coordinator.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where each operation, and each operation's {@code sql} text, starts in a migration file, read from the
 * parser's token locations (the strict parser keeps none).
 */
final class SourceLines {
    private final Map<Integer, Integer> operations = new HashMap<>();
    private final Map<Integer, Integer> sql = new HashMap<>();

    private SourceLines() {
    }

    static SourceLines of(String file, byte[] bytes, String text) {
        SourceLines lines = new SourceLines();
        JsonFactory factory = file.toLowerCase(Locale.ROOT).endsWith(".json") ? new JsonFactory()
                : new YAMLFactory();
        String[] textLines = text.split("\n", -1);
        try (JsonParser parser = factory.createParser(bytes)) {
            int depth = 0;
            int operation = -1;
            boolean inOperations = false;
            String field = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                int line = parser.currentTokenLocation().getLineNr();
                if (token == JsonToken.FIELD_NAME) {
                    field = parser.currentName();
                    continue;
                }
                if (token == JsonToken.START_ARRAY && depth == 1 && "operations".equals(field)) {
                    inOperations = true;
                } else if (token == JsonToken.START_OBJECT && inOperations && depth == 2) {
                    lines.operations.put(++operation, line);
                } else if (token == JsonToken.VALUE_STRING && inOperations && depth == 4 && "sql".equals(field)) {
                    // a block scalar ('sql: |') starts on the line after its indicator
                    String at = line - 1 < textLines.length ? textLines[line - 1].stripTrailing() : "";
                    boolean block = at.matches(".*:\\s*[|>][-+0-9]*$");
                    lines.sql.put(operation, block ? line + 1 : line);
                }
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                    if (depth == 1) {
                        inOperations = false;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the strict parser reports what is wrong with the file; lines are only a help
        }
        return lines;
    }

    int operation(int index) {
        return operations.getOrDefault(index, 0);
    }

    int sql(int index) {
        return sql.getOrDefault(index, operation(index));
    }
}
