package dev.tandem.coordinator.testing;

import dev.tandem.coordinator.internal.dialect.postgres.PostgresCatalogDump;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The catalog dump of a test database (see {@link PostgresCatalogDump}), with the default state schema. */
public final class Catalog {
    private Catalog() {
    }

    public static List<String> dump(TestDatabase db) {
        try (Connection c = db.connect()) {
            return PostgresCatalogDump.dump(c, "tandem");
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
