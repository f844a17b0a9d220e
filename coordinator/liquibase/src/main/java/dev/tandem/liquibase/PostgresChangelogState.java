package dev.tandem.liquibase;

import static dev.tandem.coordinator.internal.sql.Quoting.ident;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import java.util.List;
import java.util.stream.Collectors;

/** {@link ChangelogState} on PostgreSQL: tables in Tandem's state schema. */
final class PostgresChangelogState extends ChangelogState {
    private final String stateSchema;

    PostgresChangelogState(String stateSchema) {
        this.stateSchema = stateSchema;
    }

    @Override
    String table(String name) {
        return ident(stateSchema) + "." + ident(name);
    }

    @Override
    String keyText() {
        return "text";
    }

    @Override
    String timestamp() {
        return "timestamptz";
    }

    @Override
    String onConflict(String key, List<String> columns) {
        return " ON CONFLICT (" + key + ") DO UPDATE SET "
                + columns.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
    }

    @Override
    String installedQuery() {
        return "SELECT to_regclass(" + literal(table("liquibase_changesets")) + ") IS NOT NULL";
    }
}
