package dev.tandem.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.KeepSessionOnServerRefusal;
import dev.tandem.coordinator.internal.sql.DatabaseUrl;
import dev.tandem.coordinator.internal.sql.Identifier;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.verify.DatabaseLogin;
import java.sql.SQLException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the database is and who connects. The password is never an option value (it would show in the
 * process list and shell history): it comes from {@code TANDEM_PASSWORD} or a prompt without echo.
 */
public final class ConnectionOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    static final String PASSWORD_ENV = DatabaseLogin.PASSWORD_ENV;
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String APPLICATION_NAME = "tandem-migrate";

    // The description names the default rather than ${DEFAULT-VALUE}: that would print TANDEM_URL, password and all.
    // TANDEM_URL and TANDEM_USER are read as every option's env variable is (OptionDefaults).
    @Option(names = "--url", paramLabel = "URL", defaultValue = DEFAULT_URL,
            description = "the database: a JDBC URL, or postgres://, postgresql://, mariadb://, mysql://"
                    + "USER:PASSWORD@HOST:PORT/DATABASE (env TANDEM_URL; default " + DEFAULT_URL + ")")
    private String url;

    @Option(names = "--user", paramLabel = "NAME",
            description = "database user (env TANDEM_USER)")
    private String user;

    @Option(names = "--password-prompt", arity = "0", interactive = true, prompt = "Password: ",
            description = "ask for the password without echo; otherwise it is read from env TANDEM_PASSWORD")
    private char[] password;

    @Option(names = "--role", paramLabel = "NAME",
            description = "SET ROLE NAME on every connection, so that what Tandem creates belongs to that role "
                    + "(PostgreSQL: the role owning the tables; MariaDB: a role holding the privileges)")
    private String role;

    /** A pool of at most {@code size} connections, named so that the database shows who is connected. */
    HikariDataSource open(int size) {
        DatabaseUrl target = DatabaseUrl.of(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.jdbc());
        config.setUsername(target.userOr(user));
        config.setPassword(target.passwordOr(password != null ? new String(password) : System.getenv(PASSWORD_ENV)));
        config.setPoolName(APPLICATION_NAME);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        // a cut connection is noticed instead of waited on forever; the server bounds the locks on its side
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.setExceptionOverrideClassName(KeepSessionOnServerRefusal.class.getName());
        if (role != null) {
            String problem = Identifier.problem(role);
            if (problem != null) {
                throw new ParameterException(command.commandLine(), "--role '" + role + "' " + problem);
            }
            // a double-quoted name is an identifier on PostgreSQL and a string MariaDB's SET ROLE takes alike
            config.setConnectionInitSql("SET ROLE \"" + role + "\"");
        }
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
