package dev.tandem.coordinator.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A primary and a replica of it, started on free local ports in a temporary directory for one test class and
 * removed after it: {@code @RegisterExtension static final LocalReplication pg = LocalReplication.postgres();}.
 * PostgreSQL: a primary made with {@code initdb} ({@code wal_level=replica}, trust auth) and a streaming standby
 * made from it with {@code pg_basebackup}; MariaDB: a primary with a binary log and a second {@code mariadbd}
 * replicating from it by GTID. Where the server binaries are missing the tests are skipped, unless {@code CI=true}:
 * CI must run them.
 */
public abstract class LocalReplication implements BeforeAllCallback, AfterAllCallback {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final List<Process> servers = new ArrayList<>();
    protected Path dir;
    protected int primaryPort;
    protected int replicaPort;

    /** PostgreSQL 15 from {@code TANDEM_PG_BIN} (default {@code /usr/lib/postgresql/15/bin}). */
    public static LocalReplication postgres() {
        return new Postgres(Path.of(System.getenv().getOrDefault("TANDEM_PG_BIN", "/usr/lib/postgresql/15/bin")));
    }

    /** MariaDB from the {@code PATH} and {@code /usr/sbin}. */
    public static LocalReplication mariadb() {
        return new MariaDb();
    }

    /** A JDBC URL of {@code database} on the primary, user and all. */
    public abstract String primaryUrl(String database);

    /** A JDBC URL of {@code database} on the replica, user and all. */
    public abstract String replicaUrl(String database);

    /** Stops the replica applying what it receives, so that its lag grows with every write on the primary. */
    public abstract void pauseReplay();

    /** Lets the replica apply again. */
    public abstract void resumeReplay();

    /** Waits until the replica has applied everything the primary has written so far. */
    public abstract void awaitReplayed();

    protected abstract boolean installed();

    protected abstract String product();

    protected abstract void start() throws IOException, SQLException, InterruptedException;

    protected abstract void stop() throws IOException, InterruptedException;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!installed()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(product() + " server binaries are missing; CI must run the replica "
                        + "tests");
            }
            assumeTrue(false, product() + " server binaries are missing: replica tests skipped");
        }
        dir = Files.createTempDirectory("tandem-replication-");
        primaryPort = freePort();
        replicaPort = freePort();
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dir == null) {
            return;
        }
        try {
            stop();
            for (Process server : servers) {
                server.destroy();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Runs a command to its end, as the server's own user where that matters; fails on a non-zero exit. */
    protected void run(boolean asPostgres, String... command) throws IOException, InterruptedException {
        Process process = launch(asPostgres, "setup.log", command);
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; see "
                    + dir.resolve("setup.log") + ":\n" + Files.readString(dir.resolve("setup.log")));
        }
    }

    /** Starts a server that runs until {@link #afterAll}, its output in {@code log}. */
    protected void serve(String log, String... command) throws IOException {
        servers.add(launch(false, log, command));
    }

    private Process launch(boolean asPostgres, String log, String... command) throws IOException {
        List<String> line = new ArrayList<>();
        if (asPostgres && ROOT) {
            line.addAll(List.of("runuser", "-u", "postgres", "--")); // PostgreSQL refuses to run as root
        }
        line.addAll(List.of(command));
        return new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile())).start();
    }

    /** Lets the postgres user write in the directory when the tests run as root. */
    protected void handOverToPostgres() throws IOException, InterruptedException {
        if (ROOT) {
            run(false, "chown", "-R", "postgres", dir.toString());
        }
    }

    /** Connects to {@code url}, retrying while the server starts. */
    protected static Connection connect(String url) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    protected static void execute(String url, String... statements) {
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static String value(String url, String query) {
        try (Connection c = connect(url); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code replayed} until it is true. */
    protected static void await(String what, BooleanSupplier replayed) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!replayed.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replica did not " + what + " within " + START_TIMEOUT);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static final class Postgres extends LocalReplication {
        private final Path bin;

        Postgres(Path bin) {
            this.bin = bin;
        }

        @Override
        protected boolean installed() {
            return Stream.of("initdb", "pg_ctl", "pg_basebackup").allMatch(tool -> Files.isExecutable(bin.resolve(tool)));
        }

        @Override
        protected String product() {
            return "PostgreSQL (" + bin + ")";
        }

        @Override
        protected void start() throws IOException, InterruptedException {
            handOverToPostgres();
            String primary = dir.resolve("primary").toString();
            String standby = dir.resolve("standby").toString();
            run(true, tool("initdb"), "-D", primary, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
            run(true, tool("pg_ctl"), "-D", primary, "-l", dir.resolve("primary.log").toString(), "-w", "-o",
                    options(primaryPort) + " -c wal_level=replica -c max_wal_senders=4", "start");
            run(true, tool("pg_basebackup"), "-h", "127.0.0.1", "-p", String.valueOf(primaryPort), "-U", "postgres",
                    "-D", standby, "-R", "-X", "stream", "-c", "fast");
            // the standby reports what it applied every second, so the primary's replay_lag follows closely
            run(true, tool("pg_ctl"), "-D", standby, "-l", dir.resolve("standby.log").toString(), "-w", "-o",
                    options(replicaPort) + " -c wal_receiver_status_interval=1s", "start");
        }

        private String options(int port) {
            return "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off";
        }

        private String tool(String name) {
            return bin.resolve(name).toString();
        }

        @Override
        protected void stop() throws IOException, InterruptedException {
            for (String server : List.of("standby", "primary")) {
                if (Files.exists(dir.resolve(server).resolve("postmaster.pid"))) {
                    run(true, tool("pg_ctl"), "-D", dir.resolve(server).toString(), "-m", "immediate", "stop");
                }
            }
        }

        @Override
        public String primaryUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/" + database + "?user=postgres";
        }

        @Override
        public String replicaUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + replicaPort + "/" + database + "?user=postgres";
        }

        @Override
        public void pauseReplay() {
            execute(replicaUrl("postgres"), "SELECT pg_wal_replay_pause()");
        }

        @Override
        public void resumeReplay() {
            execute(replicaUrl("postgres"), "SELECT pg_wal_replay_resume()");
        }

        @Override
        public void awaitReplayed() {
            String written = value(primaryUrl("postgres"), "SELECT pg_current_wal_lsn()");
            await("replay up to " + written, () -> Boolean.parseBoolean(value(replicaUrl("postgres"),
                    "SELECT (pg_last_wal_replay_lsn() >= '" + written + "'::pg_lsn)::text")));
        }
    }

    private static final class MariaDb extends LocalReplication {
        @Override
        protected boolean installed() {
            return executable("mariadbd") != null && executable("mariadb-install-db") != null;
        }

        @Override
        protected String product() {
            return "MariaDB (mariadbd, mariadb-install-db)";
        }

        @Override
        protected void start() throws IOException, SQLException, InterruptedException {
            Path primary = dir.resolve("primary");
            Path replica = dir.resolve("replica");
            run(false, executable("mariadb-install-db").toString(), "--no-defaults", "--datadir=" + primary,
                    "--auth-root-authentication-method=normal", "--skip-test-db", "--user=" + user(),
                    "--tmpdir=" + tmpdir("install"));
            // both start from the same empty data directory; each then has its own server id
            try (Stream<Path> files = Files.walk(primary)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, replica.resolve(primary.relativize(file).toString()));
                }
            }
            serve("primary.log", server(primary, primaryPort, 1, "--log-bin=binlog", "--binlog-format=ROW"));
            serve("replica.log", server(replica, replicaPort, 2));
            execute(primaryUrl(""), "DO 1"); // a test's first statement must not race the primary's start
            execute(replicaUrl(""), "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + primaryPort
                    + ", MASTER_USER = 'root', MASTER_USE_GTID = slave_pos", "START SLAVE");
        }

        private String[] server(Path data, int port, int serverId, String... more) throws IOException {
            List<String> line = new ArrayList<>(List.of(executable("mariadbd").toString(), "--no-defaults",
                    "--user=" + user(), "--datadir=" + data, "--port=" + port, "--bind-address=127.0.0.1",
                    "--socket=" + dir.resolve(serverId + ".sock"), "--pid-file=" + dir.resolve(serverId + ".pid"),
                    "--server-id=" + serverId, "--tmpdir=" + tmpdir("server-" + serverId), "--skip-name-resolve",
                    "--innodb-buffer-pool-size=64M",
                    "--innodb-flush-log-at-trx-commit=2"));
            line.addAll(List.of(more));
            return line.toArray(String[]::new);
        }

        /**
         * A directory of this server's own for temporary tables: a starting mariadbd deletes every {@code #sql*}
         * file in its tmpdir, which in the shared /tmp would pull the temporary tables from under every other
         * MariaDB server of the machine (the CI's own among them) and crash it.
         */
        private String tmpdir(String name) throws IOException {
            return Files.createDirectories(dir.resolve("tmp-" + name)).toString();
        }

        private static String user() {
            return System.getProperty("user.name");
        }

        private static Path executable(String name) {
            String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin";
            return Stream.of(path.split(":")).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst()
                    .orElse(null);
        }

        @Override
        protected void stop() {
            // the servers end on SIGTERM, sent after this
        }

        @Override
        public String primaryUrl(String database) {
            return "jdbc:mariadb://127.0.0.1:" + primaryPort + "/" + database + "?user=root";
        }

        @Override
        public String replicaUrl(String database) {
            return "jdbc:mariadb://127.0.0.1:" + replicaPort + "/" + database + "?user=root";
        }

        @Override
        public void pauseReplay() {
            execute(replicaUrl(""), "STOP SLAVE SQL_THREAD");
        }

        @Override
        public void resumeReplay() {
            execute(replicaUrl(""), "START SLAVE SQL_THREAD");
        }

        @Override
        public void awaitReplayed() {
            String written = value(primaryUrl(""), "SELECT @@gtid_binlog_pos");
            await("apply " + written, () -> "0".equals(value(replicaUrl(""),
                    "SELECT MASTER_GTID_WAIT('" + written + "', 1)")));
        }
    }
}
