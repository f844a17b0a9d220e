package dev.tandem.coordinator.dialect.mariadb;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The MySQL 8 server for the MySQL tests: the one {@code TANDEM_MYSQL8_URL} names (a JDBC URL with user and
 * password, e.g. {@code jdbc:mysql://127.0.0.1:3307/?user=root&password=secret}), else a Testcontainers MySQL
 * 8.4 when a Docker engine answers. With neither, the tests are skipped and say why, also with CI=true: a
 * configured server (the variable, or Docker) is never skipped, its failures fail the build.
 */
final class MySql8Server {
    static final String IMAGE = "mysql:8.4";
    private static String url;

    private MySql8Server() {
    }

    /** The server's JDBC URL without a database; skips the calling test when there is no MySQL 8 to run on. */
    static synchronized String url() {
        if (url != null) {
            return url;
        }
        String configured = System.getenv("TANDEM_MYSQL8_URL");
        if (configured != null && !configured.isBlank()) {
            url = configured;
            return url;
        }
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), () -> {
            String reason = "MySQL 8 tests skipped: no Docker engine for Testcontainers and no TANDEM_MYSQL8_URL";
            System.err.println(reason);
            return reason;
        });
        // stopped by Testcontainers' Ryuk when the test JVM exits
        MySQLContainer container = new MySQLContainer(IMAGE).withUsername("root").withPassword("tandem");
        container.start();
        url = "jdbc:mysql://" + container.getHost() + ":" + container.getMappedPort(3306)
                + "/?user=root&password=tandem&allowPublicKeyRetrieval=true&useSSL=false";
        return url;
    }
}
