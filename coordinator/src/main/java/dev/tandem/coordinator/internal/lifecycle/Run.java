package dev.tandem.coordinator.internal.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.StateConflictException;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.internal.dialect.Dialect;
import dev.tandem.coordinator.internal.engine.PlanBuilder;
import dev.tandem.coordinator.internal.engine.Stacking;
import dev.tandem.coordinator.internal.engine.StepRunner;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.state.StateStore;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * One command's session: its connection, the database detected once for it, Tandem's state there, and the plans
 * it builds, each once.
 */
final class Run {
    /** A snapshot stored by a later Tandem may hold fields this one does not know; what it knows still holds. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Connection connection;
    private final Dialect dialect;
    private final StateStore store;
    private final TandemConfig config;
    private final DataSource dataSource;

    Run(Connection connection, Dialect dialect, StateStore store, TandemConfig config, DataSource dataSource) {
        this.connection = connection;
        this.dialect = dialect;
        this.store = store;
        this.config = config;
        this.dataSource = dataSource;
    }

    Connection connection() {
        return connection;
    }

    Dialect dialect() {
        return dialect;
    }

    StateStore store() {
        return store;
    }

    TandemConfig config() {
        return config;
    }

    DataSource dataSource() {
        return dataSource;
    }

    String schema() {
        return config.schema();
    }

    MigrationRecord require(String name) throws SQLException {
        return store.find(connection, schema(), name).orElseThrow(() -> new StateConflictException(
                "no migration named '" + name + "' has been expanded on schema '" + schema() + "'"));
    }

    List<MigrationRecord> all() throws SQLException {
        return store.all(connection, schema());
    }

    CatalogSnapshot readCatalog() throws SQLException {
        return dialect.readCatalog(connection, schema());
    }

    PlanBuilder plan(Migration migration, CatalogSnapshot snapshot, String previousVersionSchema,
                     Stacking stacking) {
        return new PlanBuilder(dialect, migration, snapshot, config.stateSchema(), previousVersionSchema, stacking);
    }

    /** The plans of a migration not recorded yet, from the catalog as it is now, on top of the stack. */
    PlanBuilder plan(Migration migration, CatalogSnapshot snapshot) throws SQLException {
        return Stack.of(this).fresh(migration, snapshot);
    }

    /**
     * The plans of a recorded migration, from the file and the catalog recorded at its expand, on the migrations it
     * is stacked on.
     */
    PlanBuilder plan(MigrationRecord record) throws SQLException {
        return Stack.of(this).plan(record);
    }

    StepRunner runner(MigrationRecord record) {
        return new StepRunner(dialect, store, config, connection, dataSource::getConnection, record.name(),
                record.source());
    }

    /**
     * The version schema the old version of a migration expanded now uses: that of the migration on top of the stack,
     * or of the latest complete one.
     */
    String previousVersionSchema() throws SQLException {
        return Stack.of(this).previousForFresh();
    }

    /** The migration as it was recorded. */
    static Migration migration(MigrationRecord record) {
        return new MigrationParser().parse(record.source(), record.definition().getBytes(StandardCharsets.UTF_8));
    }

    static CatalogSnapshot snapshot(MigrationRecord record) {
        try {
            return JSON.readValue(record.snapshot(), CatalogSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new DatabaseException("the stored catalog snapshot of migration '" + record.name()
                    + "' cannot be read: " + e.getOriginalMessage());
        }
    }

    static String json(CatalogSnapshot snapshot) {
        try {
            return JSON.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
