package dev.tandem.coordinator.internal.verify;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.sql.DatabaseUrl;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.verify.DatabaseLogin;
import dev.tandem.coordinator.verify.Verification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The files and databases a {@link Verification} names, read as its checks need them. */
public final class VerifyInputs {
    private VerifyInputs() {
    }

    public static AppStatements oldVersion(Verification verification) {
        return new AppStatements(queries(verification.oldQueries()),
                captures(verification.oldCaptures(), verification.oldCaptureDatabase()));
    }

    public static AppStatements newVersion(Verification verification) {
        return new AppStatements(queries(verification.newQueries()), captures(verification.newCaptures(), null));
    }

    /** The schema SQL's text, "" when there is none. */
    public static String schemaSql(Verification verification) {
        return verification.schemaSql() == null ? "" : text(verification.schemaSql());
    }

    /** Paths as given (relative stays relative), so CI annotations point into the repository. */
    public static String display(Path file) {
        return file.normalize().toString();
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidMigrationException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static String text(Path file) {
        return new String(read(file), StandardCharsets.UTF_8);
    }

    private static List<QueryFile> queries(Path location) {
        if (location == null) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> listing = Files.list(location)) {
                listing.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new InvalidMigrationException(location + ": cannot be read (" + e.getMessage() + ")", e);
            }
        } else {
            files.add(location);
        }
        return files.stream().map(file -> new QueryFile(display(file), text(file))).toList();
    }

    private static List<Capture> captures(List<Path> files, DatabaseLogin live) {
        List<Capture> captures = new ArrayList<>();
        for (Path file : files) {
            captures.add(Capture.read(display(file), text(file)));
        }
        if (live != null) {
            if (UrlScratchServer.isMariaDb(DatabaseUrl.of(live.url()).jdbc())) {
                throw new InvalidMigrationException("--old-capture-url reads pg_stat_statements, which only "
                        + "PostgreSQL has; from MariaDB, export performance_schema's statement digests to a file "
                        + "and pass it with --old-capture (see docs/verify.md)");
            }
            try (HikariDataSource pool = ReadOnlyPool.open(live, "tandem-verify-capture")) {
                captures.add(Capture.live("pg_stat_statements of " + serverAndDatabase(live.url()), pool));
            } catch (RuntimeException e) {
                throw new DatabaseException("--old-capture-url: " + Secrets.mask(e.getMessage()) + "; url "
                        + Secrets.mask(live.url()));
            }
        }
        return captures;
    }

    /** What findings call a live capture: no user, password or other parameter of the URL. */
    private static String serverAndDatabase(String url) {
        return url.replaceFirst("^jdbc:", "").replaceFirst("\\?.*$", "").replaceFirst("//[^/@]*@", "//");
    }
}
