package dev.tandem.coordinator.internal.sql;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Checks names given in migration files. Tandem always quotes identifiers in the SQL it writes; on top of
 * that it refuses names that need quoting at all, so a name can never carry quotes, semicolons or white
 * space into a statement, and means the same thing in every dialect.
 */
public final class Identifier {
    public static final int MAX_BYTES = 63;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Identifier() {
    }

    /** Returns the reason the name is unacceptable, or null when it is fine. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "is longer than " + MAX_BYTES + " bytes";
        }
        if (!PLAIN.matcher(name).matches()) {
            return "may only contain letters, digits and underscores and must not start with a digit";
        }
        return null;
    }

    public static boolean isValid(String name) {
        return problem(name) == null;
    }
}
