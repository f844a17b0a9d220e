package dev.tandem.cli;

import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;

/** The example shop of migrations-examples on a fresh database of one server, and the command line pointed at it. */
final class ExampleShop implements AutoCloseable {
    enum Server { POSTGRESQL, MARIADB }

    private final Server server;
    private final AutoCloseable db;
    final StatementsAsVersion sql;
    final Cli cli;
    /** The schema (PostgreSQL) or database (MariaDB) holding the tables. */
    final String schema;
    /** Connections as the old version opens them. */
    final DataSource pool;

    private ExampleShop(Server server, AutoCloseable db, StatementsAsVersion sql, Cli cli, String schema,
                        DataSource pool) {
        this.server = server;
        this.db = db;
        this.sql = sql;
        this.cli = cli;
        this.schema = schema;
        this.pool = pool;
    }

    static ExampleShop on(Server server) {
        if (server == Server.POSTGRESQL) {
            TestDatabase pg = TestDatabase.create();
            pg.execute(Examples.shop());
            return new ExampleShop(server, pg, pg, new Cli(pg), "public", pg.pool());
        }
        MariaDbTestDatabase maria = MariaDbTestDatabase.create();
        maria.execute(Examples.schema("shop-mariadb.sql"));
        return new ExampleShop(server, maria, maria, new Cli(List.of("--url", maria.url(maria.name()))),
                maria.name(), maria.pool(null, 2));
    }

    /** Copies {@code files} of the examples' directory {@code name} into a directory of that name in {@code tmp}. */
    static Path directory(Path tmp, String name, List<String> files) {
        try {
            Path dir = Files.createDirectory(tmp.resolve(name));
            for (String file : files) {
                try (InputStream in = ExampleShop.class.getClassLoader()
                        .getResourceAsStream("directories/" + name + "/" + file)) {
                    Files.write(dir.resolve(file), in.readAllBytes());
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How an application of the version that {@code migration} brings in connects; null for the oldest. */
    String version(String migration) {
        if (migration == null) {
            return null;
        }
        return server == Server.POSTGRESQL ? schema + "_" + migration + ", " + schema : schema + "__" + migration;
    }

    @Override
    public void close() throws Exception {
        db.close();
    }
}
