package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sequence a key's default draws from ({@code nextval('name'::regclass)}, as serial makes it). */
final class KeySequence {
    private static final Pattern NEXTVAL = Pattern.compile("nextval\\('((?:[^']|'')+)'::regclass\\)");
    /** A part of a regclass name: quoted (with "" for a quote) or plain. */
    private static final Pattern PART = Pattern.compile("\"((?:[^\"]|\"\")+)\"|([^.\"]+)");
    private static final Map<String, String> INTEGER_TYPES = Map.of("smallint", "smallint", "int2", "smallint",
            "integer", "integer", "int", "integer", "int4", "integer", "bigint", "bigint", "int8", "bigint");

    private KeySequence() {
    }

    /** The sequence {@code defaultValue} draws from, in {@code schema} unless it names another; null when none. */
    static TableRef of(String schema, String defaultValue) {
        Matcher nextval = NEXTVAL.matcher(defaultValue);
        if (!nextval.matches()) {
            return null;
        }
        String name = nextval.group(1).replace("''", "'");
        List<String> parts = new ArrayList<>();
        Matcher part = PART.matcher(name);
        int end = 0;
        while (part.find() && part.start() == end) {
            parts.add(part.group(1) != null ? part.group(1).replace("\"\"", "\"") : part.group(2));
            end = part.end() + (part.end() < name.length() && name.charAt(part.end()) == '.' ? 1 : 0);
        }
        if (end != name.length() || parts.isEmpty() || parts.size() > 2) {
            return null;
        }
        return parts.size() == 1 ? new TableRef(schema, parts.get(0)) : new TableRef(parts.get(0), parts.get(1));
    }

    /** The sequence type a key of {@code type} draws from; null when {@code type} is not an integer type. */
    static String integerType(String type) {
        return INTEGER_TYPES.get(type.toLowerCase(Locale.ROOT));
    }
}
