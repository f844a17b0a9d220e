package dev.tandem.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The layout, its upgrade and the registry on both databases, each test in a state schema of its own. */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class StateSchemaTest {
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/?user=root";

    @Parameter
    DatabaseKind kind;

    private Connection c;
    private StateSchema state;

    @Test
    void detectsTheDatabase() throws SQLException {
        assertThat(DatabaseKind.of(c)).contains(kind);
    }

    @Test
    void installCreatesTheLayoutOnceAndThenDoesNothing() throws SQLException {
        state.install(c);
        state.install(c);

        assertThat(state.layout(c)).isEqualTo(StateSchema.LAYOUT);
        assertThat(value("SELECT COUNT(*) FROM " + state.table("layout"))).isEqualTo("1");
        for (String table : new String[] {StateSchema.MIGRATIONS, StateSchema.HISTORY, StateSchema.STEPS,
                StateSchema.BACKFILL_TABLES, StateSchema.BACKFILL_RANGES}) {
            assertThat(state.has(c, table)).as(table).isTrue();
        }
        assertThat(state.has(c, StateSchema.INSTANCES)).as("the registry is the application's to create").isFalse();
    }

    @Test
    void layoutOneIsUpgradedDroppingItsBackfillTable() throws SQLException {
        execute(kind == DatabaseKind.POSTGRESQL ? "CREATE SCHEMA " + ident() : "CREATE DATABASE " + ident(),
                "CREATE TABLE " + state.table("layout") + " (version int NOT NULL)",
                "INSERT INTO " + state.table("layout") + " VALUES (1)",
                "CREATE TABLE " + state.table("backfill") + " (target_schema varchar(64), last_key text)");

        state.install(c);

        assertThat(state.layout(c)).isEqualTo(StateSchema.LAYOUT);
        assertThat(state.has(c, "backfill")).isFalse();
        assertThat(state.has(c, StateSchema.BACKFILL_RANGES)).isTrue();
    }

    @Test
    void aNewerLayoutIsRefused() throws SQLException {
        state.install(c);
        execute("UPDATE " + state.table("layout") + " SET version = 99");

        assertThatThrownBy(() -> state.install(c)).isInstanceOf(NewerLayoutException.class)
                .hasMessage("the state " + kind.schemaNoun() + " '" + state.name() + "' was written by a newer Tandem"
                        + " (layout 99, this one knows " + StateSchema.LAYOUT + "); upgrade Tandem");
    }

    @Test
    void registeredInstancesAreLiveUntilTheyDeregister() throws SQLException {
        state.install(c);
        state.createRegistry(c);
        state.createRegistry(c);
        InstanceRegistry registry = new InstanceRegistry(state);

        InstanceRow row = Jdbc.inTransaction(c, () -> {
            registry.lockShared(c);
            return registry.heartbeat(c, new InstanceRow("i1", "app", "base", "host-a", null, null));
        });

        assertThat(row.startedAt()).isNotNull();
        assertThat(registry.live(c, "app", Duration.ofMinutes(1))).extracting(InstanceRow::id).containsExactly("i1");
        assertThat(registry.live(c, "other", Duration.ofMinutes(1))).isEmpty();
        assertThat(registry.heartbeat(c, row).startedAt()).as("a heartbeat keeps the start").isEqualTo(row.startedAt());
        assertThat(registry.deregister(c, "i1")).isTrue();
        assertThat(registry.live(c, "app", Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void noMigrationIsReadWhereTandemNeverRan() throws SQLException {
        StateReads reads = new StateReads(state);

        assertThat(reads.migrations(c, "app")).isEmpty();
        assertThat(reads.phase(c, "app", null)).isNull();
    }

    @BeforeEach
    void connectToAStateSchemaOfItsOwn() throws SQLException {
        c = connect();
        state = new StateSchema(kind, "tandem_state_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12),
                10);
    }

    @AfterEach
    void dropIt() throws SQLException {
        execute(kind == DatabaseKind.POSTGRESQL ? "DROP SCHEMA IF EXISTS " + ident() + " CASCADE"
                : "DROP DATABASE IF EXISTS " + ident());
        c.close();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(kind == DatabaseKind.POSTGRESQL
                ? System.getenv().getOrDefault("TANDEM_PG_URL", POSTGRES)
                : System.getenv().getOrDefault("TANDEM_MYSQL_URL", MARIADB));
    }

    private String ident() {
        return kind.ident(state.name());
    }

    private void execute(String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        }
    }

    private String value(String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
