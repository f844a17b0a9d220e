package dev.tandem.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.InstanceCheck;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.Examples;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard, the registry, HikariSupport and PhaseView on MariaDB, where a version is a database of views and
 * new-version sessions name it in {@code @tandem_version}. The rules of which version is offered when are the
 * same as on PostgreSQL ({@link PhaseGuardTest}); the rolling deploy is {@code RollingDeployTest}.
 */
class MariaDbGuardTest {
    private static final String MIGRATION = "add_nickname";

    private MariaDbTestDatabase db;
    private Tandem tandem;
    private DataSource pool;
    private String newVersion;

    @BeforeEach
    void createShop() {
        db = MariaDbTestDatabase.create();
        db.execute("CREATE TABLE customers (id BIGINT AUTO_INCREMENT PRIMARY KEY, first_name VARCHAR(50))",
                "INSERT INTO customers (first_name) VALUES ('Ada'), ('Grace')");
        tandem = db.tandem();
        pool = db.pool(null, 2);
        newVersion = db.name() + "__" + MIGRATION;
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private PhaseGuard guard(String version) {
        return PhaseGuard.builder(version).schema(db.name()).build();
    }

    private void expand() {
        tandem.expand(Examples.inline(MIGRATION,
                "{add_column: {table: customers, column: {name: nickname, type: varchar(50)}, up: first_name}}"));
    }

    private void expandAndBackfill() {
        expand();
        tandem.backfill(MIGRATION, BackfillListener.NONE);
    }

    @Test
    void keptContractOffersOnlyTheNewVersionUntilRevert() {
        expandAndBackfill();
        tandem.contractKeeping(MIGRATION, InstanceCheck.ENFORCE);
        assertThat(guard(MIGRATION).check(pool)).isEqualTo(SchemaVersion.inDatabase(MIGRATION, db.name(), newVersion));
        assertThatThrownBy(() -> guard("base").check(pool)).isInstanceOf(PhaseGuardException.class)
                .hasMessageEndingWith("Migration 'add_nickname' is contracted with the old shape kept, and no longer "
                        + "offers version 'base': deploy a newer build (for version 'add_nickname'), or bring this "
                        + "version back with `migrate revert add_nickname`.");

        tandem.revert(MIGRATION);
        assertThat(guard("base").check(pool)).isEqualTo(SchemaVersion.inDatabase("base", db.name(), db.name()));
        assertThat(guard(MIGRATION).check(pool).catalog()).isEqualTo(newVersion);
    }

    @Test
    void versionsAreDatabases() {
        assertThat(guard("base").check(pool)).isEqualTo(SchemaVersion.inDatabase("base", db.name(), db.name()));
        assertThatThrownBy(() -> guard(MIGRATION).check(pool)).isInstanceOf(PhaseGuardException.class)
                .hasMessage("this build is for schema version 'add_nickname' of schema '" + db.name() + "', which "
                        + "the database does not offer: it offers 'base' (current). The database has never heard of "
                        + "version 'add_nickname'. To start this build, run `migrate expand <file of add_nickname>` "
                        + "first.");

        expand();
        assertThatThrownBy(() -> guard(MIGRATION).check(pool)).isInstanceOf(PhaseGuardException.class)
                .hasMessageContaining("the new version of migration 'add_nickname', whose backfill has not finished")
                .hasMessageContaining("Run `migrate backfill add_nickname` to the end, then start this build");
        assertThat(PhaseGuard.builder(MIGRATION).schema(db.name()).acceptIncompleteBackfill(true).build().check(pool)
                .catalog()).isEqualTo(newVersion);
        tandem.backfill(MIGRATION, BackfillListener.NONE);
        SchemaVersion version = guard(MIGRATION).check(pool);
        assertThat(version).isEqualTo(SchemaVersion.inDatabase(MIGRATION, db.name(), newVersion));
        assertThat(version.initSql()).isEqualTo("SET @tandem_version = '" + newVersion + "'");
        assertThat(version.route()).isEqualTo("database " + newVersion);
        assertThatThrownBy(version::setSearchPathSql).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPoolConfiguredForTheNewVersionWritesAsTheNewVersion() throws Exception {
        expandAndBackfill();
        SchemaVersion version = guard(MIGRATION).check(pool);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url(db.name()));
        config.setMaximumPoolSize(1);
        try (HikariDataSource pinned = new HikariDataSource(HikariSupport.configure(config, version));
             Connection c = pinned.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT DATABASE(), @tandem_version")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo(newVersion);
                assertThat(r.getString(2)).isEqualTo(newVersion);
            }
            // the trigger takes it for the new version's write and leaves the nickname alone
            s.execute("INSERT INTO customers (first_name, nickname) VALUES ('Barbara', 'Babs')");
        }
        assertThat(db.value("SELECT nickname FROM customers WHERE first_name = 'Barbara'")).isEqualTo("Babs");
        db.execute("INSERT INTO customers (first_name) VALUES ('Edsger')");
        assertThat(db.value("SELECT nickname FROM customers WHERE first_name = 'Edsger'")).isEqualTo("Edsger");
    }

    @Test
    void registersItsInstanceInTheStateDatabase() {
        try (InstanceRegistration registration = PhaseGuard.builder("base").schema(db.name()).host("app-1").build()
                .start(pool)) {
            assertThat(registration.version().catalog()).isEqualTo(db.name());
            assertThat(db.value("SELECT CONCAT(host, '|', version) FROM tandem.instances WHERE instance_id = '"
                    + registration.instanceId() + "'")).isEqualTo("app-1|base");
            assertThat(tandem.liveInstances().get("base")).singleElement()
                    .satisfies(i -> assertThat(i.startedAt()).isEqualTo(registration.startedAt()));
        }
        assertThat(tandem.liveInstances()).isEmpty();
    }

    @Test
    void phaseViewFollowsTheMigration() {
        PhaseView phases = guard(MIGRATION).phases();
        assertThat(phases.phase(pool, MIGRATION).dualWrite()).isEqualTo(DualWritePhase.READ_OLD_WRITE_OLD);
        expand();
        assertThat(phases.phase(pool, MIGRATION).dualWrite()).isEqualTo(DualWritePhase.READ_OLD_WRITE_BOTH);
        tandem.backfill(MIGRATION, BackfillListener.NONE);
        assertThat(phases.phase(pool, MIGRATION).dualWrite()).isEqualTo(DualWritePhase.READ_NEW_WRITE_BOTH);
        tandem.contract(MIGRATION);
        assertThat(phases.latest(pool)).hasValueSatisfying(m -> assertThat(m.recordedPhase()).isEqualTo("complete"));
    }

    @Test
    void mySqlConnectorJWorksAsWell() throws Exception {
        expandAndBackfill();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url(db.name()).replace("jdbc:mariadb:", "jdbc:mysql:"));
        config.setMaximumPoolSize(1);
        try (HikariDataSource direct = new HikariDataSource(config)) {
            try (Connection c = direct.getConnection()) {
                assertThat(c.getMetaData().getDriverName()).startsWith("MySQL Connector/J");
            }
            SchemaVersion version = guard(MIGRATION).check(direct);
            assertThat(version.catalog()).isEqualTo(newVersion);
            try (InstanceRegistration registration = guard(MIGRATION).start(direct)) {
                assertThat(tandem.liveInstances().get(MIGRATION)).hasSize(1);
            }
            config.setPoolName("pinned");
            try (HikariDataSource pinned = new HikariDataSource(HikariSupport.configure(config, version));
                 Connection c = pinned.getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT DATABASE(), @tandem_version")) {
                r.next();
                assertThat(r.getString(1) + "|" + r.getString(2)).isEqualTo(newVersion + "|" + newVersion);
            }
        }
    }

    @Test
    void theSchemaMustBeTheTablesDatabase() {
        assertThatThrownBy(() -> PhaseGuard.builder("base").build().check(pool)).isInstanceOf(PhaseGuardException.class)
                .hasMessage("the database 'public' whose tables the migrations change does not exist: set the guard's "
                        + "schema (PhaseGuard.Builder.schema, tandem.schema); on MariaDB and MySQL it is the database "
                        + "of the tables, and has no default");
    }
}
