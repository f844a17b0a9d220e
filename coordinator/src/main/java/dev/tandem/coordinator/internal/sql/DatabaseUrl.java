package dev.tandem.coordinator.internal.sql;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A database URL as users write it: a JDBC URL, or the {@code postgres://}, {@code postgresql://},
 * {@code mariadb://} and {@code mysql://} forms other tools take ({@code scheme://user:password@host:port/db?params}).
 *
 * @param jdbc     the URL for the driver, without user and password
 * @param user     the user the URL names, percent-decoded; null for none
 * @param password the password the URL carries, percent-decoded; null for none
 */
public record DatabaseUrl(String jdbc, String user, String password) {
    /** The JDBC prefix of each form; mysql:// goes to the MariaDB driver, the one Tandem ships. */
    private static final Map<String, String> SCHEMES = Map.of(
            "postgres", "jdbc:postgresql://",
            "postgresql", "jdbc:postgresql://",
            "mariadb", "jdbc:mariadb://",
            "mysql", "jdbc:mariadb://");

    /** {@code url} as the driver takes it; a JDBC URL, or one of no known form, is passed on as it is. */
    public static DatabaseUrl of(String url) {
        int separator = url.indexOf("://");
        String prefix = separator < 0 ? null : SCHEMES.get(url.substring(0, separator).toLowerCase(Locale.ROOT));
        if (prefix == null) {
            return new DatabaseUrl(url, null, null);
        }
        String rest = url.substring(separator + 3);
        int authorityEnd = indexOfAny(rest, "/?");
        String authority = rest.substring(0, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return new DatabaseUrl(prefix + rest, null, null);
        }
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        return new DatabaseUrl(prefix + rest.substring(at + 1), user.isEmpty() ? null : user, password);
    }

    /** The URL's user, else {@code otherwise}: a user written in the URL wins, like a driver's URL parameter. */
    public String userOr(String otherwise) {
        return user != null ? user : otherwise;
    }

    /** The URL's password, else {@code otherwise}. */
    public String passwordOr(String otherwise) {
        return password != null ? password : otherwise;
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    private static String decode(String text) {
        try {
            // URLDecoder reads '+' as a space, which is right for forms but not for URLs
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return text;
        }
    }
}
