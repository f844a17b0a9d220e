package dev.tandem.liquibase;

import static dev.tandem.coordinator.internal.sql.Quoting.backtick;
import static dev.tandem.coordinator.internal.sql.Quoting.literal;

import java.util.List;
import java.util.stream.Collectors;

/** {@link ChangelogState} on MariaDB: tables in Tandem's state database, as its MariaDB state store keeps them. */
final class MariaDbChangelogState extends ChangelogState {
    private final String stateDatabase;

    MariaDbChangelogState(String stateDatabase) {
        this.stateDatabase = stateDatabase;
    }

    @Override
    String table(String name) {
        return backtick(stateDatabase) + "." + backtick(name);
    }

    /** Four key columns of 191 characters fit InnoDB's 3072-byte key in utf8mb4; file paths and ids are shorter. */
    @Override
    String keyText() {
        return "VARCHAR(191)";
    }

    @Override
    String timestamp() {
        return "TIMESTAMP";
    }

    @Override
    String onConflict(String key, List<String> columns) {
        return " ON DUPLICATE KEY UPDATE "
                + columns.stream().map(c -> c + " = VALUES(" + c + ")").collect(Collectors.joining(", "));
    }

    @Override
    String installedQuery() {
        return "SELECT count(*) > 0 FROM information_schema.tables WHERE table_schema = " + literal(stateDatabase)
                + " AND table_name = 'liquibase_changesets'";
    }
}
