package dev.tandem.coordinator.internal.sql;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes passwords from text that may reach a log, an error or status output. */
public final class Secrets {
    private static final String MASK = "<masked>";
    private static final String PASSWORD_KEY = "(?:password|passwd|pwd)";
    // a password may hold spaces, so its value runs to the next parameter (or a quote, where the text is JSON): text
    // after it in the same message is masked too; code that prints a URL on purpose should print its host and
    // database instead
    private static final Pattern URL_PASSWORD =
            Pattern.compile("(?i)([?&;]" + PASSWORD_KEY + "=)([^&;\"\r\n]*)");
    // MariaDB's jdbc:mariadb://address=(host=…)(password=…) form
    private static final Pattern ADDRESS_PASSWORD = Pattern.compile("(?i)(\\(\\s*" + PASSWORD_KEY + "\\s*=)([^)\r\n]*)");
    private static final Pattern USERINFO = Pattern.compile("(//[^/:@\\s]+:)([^@/\\s]*)@");
    private static final List<Pattern> PATTERNS = List.of(URL_PASSWORD, ADDRESS_PASSWORD, USERINFO);

    private Secrets() {
    }

    /** {@code text} with every password a URL in it carries replaced by {@code <masked>}. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = URL_PASSWORD.matcher(text).replaceAll("$1" + MASK);
        masked = ADDRESS_PASSWORD.matcher(masked).replaceAll("$1" + MASK);
        return USERINFO.matcher(masked).replaceAll("$1" + MASK + "@");
    }

    /**
     * {@link #mask(String)}, and every occurrence of the {@code known} secrets too, wherever they stand: a driver
     * may repeat a piece of a URL it could not parse (MariaDB: {@code Incorrect port value : pw@127.0.0.1}).
     * A secret is also found in its JSON-escaped form.
     */
    public static String mask(String text, Collection<String> known) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : known) {
            if (!secret.isEmpty()) {
                masked = masked.replace(secret, MASK).replace(jsonEscaped(secret), MASK);
            }
        }
        return mask(masked);
    }

    /**
     * The passwords a URL carries, in any of the forms {@link #mask(String)} hides, as written and
     * percent-decoded; empty for none.
     */
    public static List<String> in(String url) {
        List<String> found = new ArrayList<>();
        if (url != null) {
            for (Pattern pattern : PATTERNS) {
                Matcher m = pattern.matcher(url);
                while (m.find()) {
                    String secret = m.group(2);
                    if (!secret.isEmpty()) {
                        found.add(secret);
                        found.add(decoded(secret));
                    }
                }
            }
        }
        return found;
    }

    /** How a driver may print a percent-encoded password: decoded (the text itself when it is no valid encoding). */
    private static String decoded(String secret) {
        try {
            return URLDecoder.decode(secret, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return secret;
        }
    }

    private static String jsonEscaped(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
