package dev.tandem.coordinator.verify;

import dev.tandem.coordinator.migration.Database;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A PostgreSQL server or database verify connects to. The URL is a JDBC URL or one of the forms other tools take
 * ({@code postgres://user:password@host:port/db}); a user or password it carries wins over the ones given here.
 *
 * @param user     the user when the URL names none; null for the driver's default
 * @param password the password when the URL carries none; null for none
 */
public record DatabaseLogin(String url, String user, String password) {
    /** Where a password is read from when neither the URL nor the caller gives one. */
    public static final String PASSWORD_ENV = "TANDEM_PASSWORD";
    /** Where the user of a database verify only reads is read from. */
    public static final String USER_ENV = "TANDEM_USER";

    public DatabaseLogin {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a database URL is required");
        }
    }

    /** The database at {@code url} with the user and password of the environment (TANDEM_USER, TANDEM_PASSWORD). */
    public static DatabaseLogin fromEnvironment(String url) {
        return new DatabaseLogin(url, System.getenv(USER_ENV), System.getenv(PASSWORD_ENV));
    }

    /** The server at {@code url} as {@code user}, with the password of the environment (TANDEM_PASSWORD). */
    public static DatabaseLogin withEnvironmentPassword(String url, String user) {
        return new DatabaseLogin(url, user, System.getenv(PASSWORD_ENV));
    }

    /** The database the URL names: MariaDB for a MariaDB or MySQL URL, PostgreSQL for any other. */
    public Database database() {
        return databaseOf(url);
    }

    /** The database the first of {@code urls} that is not null names; null when all are. */
    public static Database databaseOf(String... urls) {
        return Arrays.stream(urls).filter(Objects::nonNull).findFirst().map(DatabaseLogin::databaseOf).orElse(null);
    }

    private static Database databaseOf(String url) {
        String scheme = url.toLowerCase(Locale.ROOT);
        return scheme.startsWith("jdbc:mariadb:") || scheme.startsWith("jdbc:mysql:") || scheme.startsWith("mariadb:")
                || scheme.startsWith("mysql:") ? Database.MARIADB : Database.POSTGRESQL;
    }

    /** Never the password, nor the URL, which may carry one. */
    @Override
    public String toString() {
        return "DatabaseLogin[user=" + user + "]";
    }
}
