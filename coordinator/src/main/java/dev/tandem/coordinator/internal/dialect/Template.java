package dev.tandem.coordinator.internal.dialect;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL text with named placeholders, {@code {name}}, filled in one pass: a value put in is never read for
 * placeholders itself, so quoted names and user expressions land as they are.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    private Template() {
    }

    /** {@code template} with each placeholder replaced by its value in {@code values}. */
    public static String fill(String template, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for " + placeholder.group());
            }
            placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return placeholder.appendTail(out).toString();
    }
}
