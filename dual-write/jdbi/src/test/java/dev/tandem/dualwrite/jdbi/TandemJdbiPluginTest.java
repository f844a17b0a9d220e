package dev.tandem.dualwrite.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.PhaseGuard;
import dev.tandem.dualwrite.SchemaVersion;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TandemJdbiPluginTest {
    private TestDatabase db;
    private DataSource pool;

    @BeforeEach
    void createShop() {
        db = TestDatabase.create();
        db.execute(Examples.shop());
        Tandem tandem = db.tandem();
        tandem.expand(Examples.migration("add_column.yaml"));
        tandem.backfill("add_display_name", BackfillListener.NONE);
        pool = db.pool(null, 1);
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private static String schemas(Handle handle) {
        return handle.createQuery("SELECT array_to_string(current_schemas(false), ',')").mapTo(String.class).one();
    }

    @Test
    void everyHandleRunsOnTheVersionWhateverThePooledConnectionWasLeftOn() {
        SchemaVersion version = PhaseGuard.builder("add_display_name").build().check(pool);
        Jdbi jdbi = Jdbi.create(pool).installPlugin(new TandemJdbiPlugin(version));

        try (Handle handle = jdbi.open()) {
            assertThat(schemas(handle)).isEqualTo("public_add_display_name,public");
            assertThat(handle.getConfig(SchemaVersionConfig.class).version()).isEqualTo(version);
            handle.execute("SET search_path TO public");
        }
        try (Handle handle = jdbi.open()) {
            assertThat(schemas(handle)).as("the pool's only connection, moved off the version by the last handle")
                    .isEqualTo("public_add_display_name,public");
            assertThat(handle.createQuery("SELECT display_name FROM customers WHERE id = 1").mapTo(String.class).one())
                    .isEqualTo("First1 Last1");
        }
    }

    @Test
    void oneJdbiCannotBePinnedToTwoVersions() {
        SchemaVersion newVersion = PhaseGuard.builder("add_display_name").build().check(pool);
        SchemaVersion oldVersion = PhaseGuard.builder("base").build().check(pool);
        Jdbi jdbi = Jdbi.create(pool).installPlugin(new TandemJdbiPlugin(newVersion))
                .installPlugin(new TandemJdbiPlugin(newVersion));

        assertThatThrownBy(() -> jdbi.installPlugin(new TandemJdbiPlugin(oldVersion)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this Jdbi is already pinned to schema version 'add_display_name'; one Jdbi cannot run on "
                        + "two versions, create another for 'base'");
        try (Handle handle = jdbi.open()) {
            assertThat(schemas(handle)).isEqualTo("public_add_display_name,public");
        }
    }
}
