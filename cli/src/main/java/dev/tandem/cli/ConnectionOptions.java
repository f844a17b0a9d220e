package dev.tandem.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.sql.Secrets;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Where the database is and who connects. The password is never an option value (it would show in the
 * process list and shell history): it comes from {@code TANDEM_PASSWORD} or a prompt without echo.
 */
public final class ConnectionOptions {
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String APPLICATION_NAME = "tandem-migrate";
    /** The database of a MariaDB or MySQL URL: the path after the host list, up to the parameters. */
    private static final Pattern MYSQL_DATABASE = Pattern.compile("jdbc:(?:mariadb|mysql):[^/]*//[^/?]*/?([^?;]*)",
            Pattern.CASE_INSENSITIVE);

    // The description names the default rather than ${DEFAULT-VALUE}: that would print TANDEM_URL, password and all.
    @Option(names = "--url", paramLabel = "JDBC_URL", defaultValue = "${env:TANDEM_URL:-" + DEFAULT_URL + "}",
            description = "the database (env TANDEM_URL; default " + DEFAULT_URL + ")")
    private String url;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "${env:TANDEM_USER}",
            description = "database user (env TANDEM_USER)")
    private String user;

    @Option(names = "--password-prompt", arity = "0", interactive = true, prompt = "Password: ",
            description = "ask for the password without echo; otherwise it is read from env TANDEM_PASSWORD")
    private char[] password;

    /**
     * The schema migrations change when {@code --schema} is not given: on MariaDB and MySQL the database the URL
     * names (a database is what PostgreSQL calls a schema there), else {@code public}.
     */
    String defaultSchema() {
        Matcher mySql = MYSQL_DATABASE.matcher(url == null ? "" : url);
        if (!mySql.lookingAt()) {
            return "public";
        }
        String database = URLDecoder.decode(mySql.group(1), StandardCharsets.UTF_8);
        if (database.isEmpty()) {
            throw new InvalidMigrationException("--url names no database (jdbc:mariadb://host:port/DATABASE): "
                    + "name one there or give --schema");
        }
        return database;
    }

    /** A pool of at most {@code size} connections, named so that the database shows who is connected. */
    HikariDataSource open(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password != null ? new String(password) : System.getenv("TANDEM_PASSWORD"));
        config.setPoolName(APPLICATION_NAME);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // The URL goes last: masking hides everything after "password=" up to the next parameter.
            throw new DatabaseException("cannot connect: " + Secrets.mask(reason(e)) + "; url " + Secrets.mask(url));
        }
    }

    /** The driver's own words when there are some; the pool's wrapper only repeats them with a prefix. */
    private static String reason(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                return cause.getMessage();
            }
        }
        return failure.getMessage();
    }
}
