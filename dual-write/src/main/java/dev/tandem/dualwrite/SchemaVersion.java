package dev.tandem.dualwrite;

import dev.tandem.dualwrite.internal.PostgresState;
import java.util.List;
import java.util.Objects;

/**
 * A schema version an application runs on, and how its connections reach it.
 *
 * @param name       the migration that produced the version, or {@link #BASE} for a schema no migration changed
 * @param schema     the schema whose tables the migrations change
 * @param searchPath the schemas a connection of this version puts on its search_path, first one first: the
 *                   version's schema of views and then {@code schema}, or {@code schema} alone
 */
public record SchemaVersion(String name, String schema, List<String> searchPath) {
    /** The version of a schema that no migration has changed yet. */
    public static final String BASE = "base";

    public SchemaVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        searchPath = List.copyOf(searchPath);
        if (searchPath.isEmpty()) {
            throw new IllegalArgumentException("the search path of version '" + name + "' is empty");
        }
    }

    /** The statement that puts a connection on this version, with every schema name quoted. */
    public String setSearchPathSql() {
        return PostgresState.setSearchPath(searchPath);
    }
}
