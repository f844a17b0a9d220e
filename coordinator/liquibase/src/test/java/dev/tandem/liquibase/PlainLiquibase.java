package dev.tandem.liquibase;

import dev.tandem.coordinator.testing.TestDatabase;
import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;

/** Liquibase on its own, as a project ran it before adopting Tandem. */
final class PlainLiquibase {
    /** Changesets without a phase label: a project's history from before Tandem. */
    static final String HISTORY_ONLY = "!expand and !backfill and !contract";

    private PlainLiquibase() {
    }

    static void update(TestDatabase db, Changelog changelog, String labelFilter) throws Exception {
        try (Connection c = db.connect()) {
            update(c, changelog, labelFilter);
        }
    }

    static void update(DataSource dataSource, Changelog changelog, String labelFilter) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            update(c, changelog, labelFilter);
        }
    }

    private static void update(Connection c, Changelog changelog, String labelFilter) throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), changelog.resources(),
                "liquibase.analytics.enabled", false), () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog.path())
                .addArgumentValue(UpdateCommandStep.LABEL_FILTER_ARG, labelFilter)
                .execute());
    }
}
