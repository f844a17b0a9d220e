package dev.tandem.coordinator.sql;

import java.util.regex.Pattern;

/** Removes passwords from text that may reach a log, an error or status output. */
public final class Secrets {
    // a password may hold spaces, so its value runs to the next parameter: text after it in the same message is
    // masked too; code that prints a URL on purpose should print its host and database instead
    private static final Pattern URL_PASSWORD =
            Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    private Secrets() {
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = URL_PASSWORD.matcher(text).replaceAll("$1<masked>");
        return USERINFO.matcher(masked).replaceAll("$1<masked>@");
    }
}
