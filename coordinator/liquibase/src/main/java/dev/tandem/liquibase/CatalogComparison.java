package dev.tandem.liquibase;

import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.UnsupportedDatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import liquibase.CatalogAndSchema;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.core.MariaDBDatabase;
import liquibase.database.core.MySQLDatabase;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.diff.DiffGeneratorFactory;
import liquibase.diff.DiffResult;
import liquibase.diff.Difference;
import liquibase.diff.ObjectDifferences;
import liquibase.diff.compare.CompareControl;
import liquibase.snapshot.DatabaseSnapshot;
import liquibase.snapshot.SnapshotControl;
import liquibase.snapshot.SnapshotGeneratorFactory;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Column;
import liquibase.structure.core.ForeignKey;
import liquibase.structure.core.Index;
import liquibase.structure.core.PrimaryKey;
import liquibase.structure.core.Sequence;
import liquibase.structure.core.Table;
import liquibase.structure.core.UniqueConstraint;
import liquibase.structure.core.View;

/**
 * Whether a schema's catalog is the same at two moments, as the rollback check needs: "rollback leaves the
 * catalog as it was before expand". Tables, columns, indexes, primary, unique and foreign keys, views and
 * sequences are compared by Liquibase's own snapshot and diff; triggers, functions and check constraints, which
 * its open-source snapshot does not read, by Tandem's queries ({@link SnapshotGaps}).
 */
public final class CatalogComparison implements AutoCloseable {
    private static final Set<Class<? extends DatabaseObject>> LIQUIBASE_TYPES = Set.of(Table.class, Column.class,
            Index.class, PrimaryKey.class, UniqueConstraint.class, ForeignKey.class, View.class, Sequence.class);

    /** One moment's catalog of the schema. */
    public record Snapshot(DatabaseSnapshot liquibase, List<String> gaps) {
    }

    private final Connection connection;
    private final Database database;
    private final String schema;

    private CatalogComparison(Connection connection, Database database, String schema) {
        this.connection = connection;
        this.database = database;
        this.schema = schema;
    }

    /**
     * Compares {@code schema}'s catalog over time on one connection of {@code dataSource}, held until
     * {@link #close()}: Liquibase's snapshots go on reading through it when they are compared.
     */
    public static CatalogComparison open(DataSource dataSource, String schema) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                    new JdbcConnection(connection));
            return new CatalogComparison(connection, database, schema);
        } catch (SQLException | liquibase.exception.DatabaseException e) {
            closeQuietly(connection);
            throw new DatabaseException("cannot read the catalog of schema " + schema + ": "
                    + LiquibasePhases.message(e));
        }
    }

    /** The catalog now. */
    public Snapshot snapshot() {
        try {
            return Scope.child(Map.of("liquibase.analytics.enabled", false), () -> new Snapshot(
                    SnapshotGeneratorFactory.getInstance().createSnapshot(new CatalogAndSchema(null, schema),
                            database, new SnapshotControl(database, LIQUIBASE_TYPES.toArray(Class[]::new))),
                    gaps(database).read(connection, schema)));
        } catch (Exception e) {
            throw new DatabaseException("cannot read the catalog of schema " + schema + ": "
                    + LiquibasePhases.message(e));
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // nothing was written through it; a connection that will not close is the pool's business
        }
    }

    /** What differs from {@code before} to {@code after}, one line each; empty when the catalogs are the same. */
    public List<String> differences(Snapshot before, Snapshot after) {
        List<String> differences = new ArrayList<>();
        DiffResult diff;
        try {
            diff = DiffGeneratorFactory.getInstance().compare(before.liquibase(), after.liquibase(),
                    new CompareControl(new CompareControl.SchemaComparison[]{new CompareControl.SchemaComparison(
                            new CatalogAndSchema(null, schema), new CatalogAndSchema(null, schema))},
                            new HashSet<>(LIQUIBASE_TYPES)));
        } catch (liquibase.exception.DatabaseException e) {
            throw new DatabaseException("cannot compare the catalogs: " + LiquibasePhases.message(e));
        }
        diff.getMissingObjects().forEach(object -> differences.add("missing " + describe(object)));
        diff.getUnexpectedObjects().forEach(object -> differences.add("left behind " + describe(object)));
        for (Map.Entry<DatabaseObject, ObjectDifferences> changed : diff.getChangedObjects().entrySet()) {
            for (Difference difference : changed.getValue().getDifferences()) {
                differences.add("changed " + describe(changed.getKey()) + ": " + difference.getField() + " was "
                        + difference.getReferenceValue() + ", is " + difference.getComparedValue());
            }
        }
        before.gaps().stream().filter(line -> !after.gaps().contains(line))
                .forEach(line -> differences.add("missing " + line));
        after.gaps().stream().filter(line -> !before.gaps().contains(line))
                .forEach(line -> differences.add("left behind " + line));
        differences.sort(String::compareTo);
        return differences;
    }

    private static String describe(DatabaseObject object) {
        return object.getObjectTypeName() + " " + object;
    }

    private static SnapshotGaps gaps(Database database) {
        if (database instanceof PostgresDatabase) {
            return SnapshotGaps.POSTGRES;
        }
        if (database instanceof MariaDBDatabase || database instanceof MySQLDatabase) {
            return SnapshotGaps.MARIADB;
        }
        throw new UnsupportedDatabaseException("Tandem compares catalogs on PostgreSQL and MariaDB/MySQL, not on "
                + database.getDatabaseProductName());
    }
}
