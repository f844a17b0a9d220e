package dev.tandem.coordinator.internal.dialect.mariadb;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The MySQL 8 server for the MySQL tests: the one {@code TANDEM_MYSQL8_URL} names (a JDBC URL with user and
 * password, e.g. {@code jdbc:mysql://127.0.0.1:3307/?user=root&password=secret}), else a Testcontainers MySQL
 * 8.4 when a Docker engine answers. The MySQL 8 tests run only in the {@code mysql8} profile, so with neither
 * they fail: whoever asked for them expects a server.
 */
final class MySql8Server {
    static final String IMAGE = "mysql:8.4";
    private static String url;

    private MySql8Server() {
    }

    /** The server's JDBC URL without a database. */
    static synchronized String url() {
        if (url != null) {
            return url;
        }
        String configured = System.getenv("TANDEM_MYSQL8_URL");
        if (configured != null && !configured.isBlank()) {
            url = configured;
            return url;
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("the mysql8 profile needs a MySQL 8 server: set TANDEM_MYSQL8_URL, or "
                    + "run a Docker engine for Testcontainers");
        }
        // stopped by Testcontainers' Ryuk when the test JVM exits
        MySQLContainer container = new MySQLContainer(IMAGE).withUsername("root").withPassword("tandem");
        container.start();
        url = "jdbc:mysql://" + container.getHost() + ":" + container.getMappedPort(3306)
                + "/?user=root&password=tandem&allowPublicKeyRetrieval=true&useSSL=false";
        return url;
    }
}
