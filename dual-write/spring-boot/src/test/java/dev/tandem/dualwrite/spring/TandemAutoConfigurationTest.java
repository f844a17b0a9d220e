package dev.tandem.dualwrite.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.DualWritePhase;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuardException;
import dev.tandem.dualwrite.PhaseView;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.jdbc.core.JdbcTemplate;

class TandemAutoConfigurationTest {
    private static final String MIGRATION = "add_display_name";

    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    private ApplicationContextRunner app;

    @BeforeEach
    void createShop() {
        db.execute(Examples.shop());
        app = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        TandemAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + db.url(), "tandem.timeout=5s");
    }

    /** Finds the analyzer as Spring Boot does, through spring.factories; skips analyzers that need a context. */
    private static FailureAnalysis analyze(Throwable failure) {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> { }));
        return analyzers.stream().filter(PhaseGuardFailureAnalyzer.class::isInstance).findFirst().orElseThrow()
                .analyze(failure);
    }

    @Test
    void startUpFailsWithTheGuardsMessageOnAVersionTheDatabaseDoesNotOffer() {
        app.withPropertyValues("tandem.version=" + MIGRATION).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(PhaseGuardException.class);
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).isEqualTo("this build is for schema version 'add_display_name' of "
                    + "schema 'public', which the database does not offer: it offers 'base' (current). The database "
                    + "has never heard of version 'add_display_name'. To start this build, run `migrate expand <file "
                    + "of add_display_name>` first.");
            assertThat(analysis.getAction()).isEqualTo(PhaseGuardFailureAnalyzer.ACTION);
        });
    }

    @Test
    void startUpOfTheNewVersionFailsWhileItsBackfillIsIncompleteAndStartsOnceItIsDone() {
        db.tandem().expand(Examples.migration("add_column.yaml"));

        app.withPropertyValues("tandem.version=" + MIGRATION).run(context -> {
            assertThat(context).hasFailed();
            assertThat(analyze(context.getStartupFailure()).getDescription()).contains("the new version of migration "
                    + "'add_display_name', whose backfill has not finished")
                    .contains("tandem.accept-incomplete-backfill=true");
        });
        db.tandem().backfill(MIGRATION, BackfillListener.NONE);
        app.withPropertyValues("tandem.version=" + MIGRATION).run(context -> assertThat(context).hasNotFailed());
    }

    /** Accepts an incomplete backfill explicitly. */
    @Test
    void startsOnTheRightVersionWithItsSearchPathRegisteredAndHealthy() {
        db.tandem().expand(Examples.migration("add_column.yaml"));

        app.withPropertyValues("tandem.version=" + MIGRATION, "tandem.accept-incomplete-backfill=true").run(context -> {
            assertThat(context).hasNotFailed();
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(((HikariDataSource) dataSource).getConnectionInitSql())
                    .isEqualTo("SET search_path TO \"public_add_display_name\", \"public\"");
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            assertThat(jdbc.queryForObject("SELECT array_to_string(current_schemas(false), ',')", String.class))
                    .isEqualTo("public_add_display_name,public");
            assertThat(jdbc.queryForObject("SELECT count(display_name) >= 0 FROM customers", Boolean.class)).isTrue();
            assertThat(db.value("SELECT string_agg(version, ',') FROM tandem.instances")).isEqualTo(MIGRATION);
            assertThat(context.getBean(PhaseView.class).phase(dataSource, MIGRATION).dualWrite())
                    .isEqualTo(DualWritePhase.READ_OLD_WRITE_BOTH);

            Health health = context.getBean("tandemHealthIndicator", HealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsAllEntriesOf(Map.of("version", MIGRATION, "searchPath",
                    "public_add_display_name, public", "migration", MIGRATION, "phase", "expanded", "dualWrite",
                    "READ_OLD_WRITE_BOTH"));
            assertThat(health.getDetails()).containsEntry("inFlight", Map.of(MIGRATION, "expanded"));
            assertThat(context.getBean(InstanceRegistration.class).version().name()).isEqualTo(MIGRATION);
        });
        assertThat(db.value("SELECT count(*) FROM tandem.instances")).isEqualTo("0");
    }

    @Test
    void aDataSourceOtherThanHikariIsWrappedToSetTheSearchPathOnEveryBorrow() {
        db.tandem().expand(Examples.migration("add_column.yaml"));
        db.tandem().backfill(MIGRATION, BackfillListener.NONE);

        app.withPropertyValues("tandem.version=" + MIGRATION,
                "spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource").run(context -> {
            assertThat(context).hasNotFailed();
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(dataSource).isInstanceOf(SearchPathDataSource.class);
            assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT array_to_string(current_schemas(false), "
                    + "',')", String.class)).isEqualTo("public_add_display_name,public");
        });
    }

    @Test
    void onMariaDbThePoolUsesTheVersionsDatabaseAndNamesItInTheSession() {
        try (MariaDbTestDatabase maria = MariaDbTestDatabase.create()) {
            maria.execute("CREATE TABLE customers (id BIGINT AUTO_INCREMENT PRIMARY KEY, first_name VARCHAR(50))");
            maria.tandem().expand(Examples.inline("add_nickname", "{add_column: {table: customers, column: "
                    + "{name: nickname, type: varchar(50)}, up: first_name}}"));
            maria.tandem().backfill("add_nickname", BackfillListener.NONE);
            String version = maria.name() + "__add_nickname";

            app.withPropertyValues("spring.datasource.url=" + maria.url(maria.name()), "tandem.version=add_nickname",
                    "tandem.schema=" + maria.name()).run(context -> {
                        assertThat(context).hasNotFailed();
                        HikariDataSource dataSource = (HikariDataSource) context.getBean(DataSource.class);
                        assertThat(dataSource.getCatalog()).isEqualTo(version);
                        assertThat(dataSource.getConnectionInitSql())
                                .isEqualTo("SET @tandem_version = '" + version + "'");
                        assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT CONCAT(DATABASE(), '|', "
                                + "@tandem_version)", String.class)).isEqualTo(version + "|" + version);
                        Health health = context.getBean("tandemHealthIndicator", HealthIndicator.class).health(true);
                        assertThat(health.getStatus()).isEqualTo(Status.UP);
                        assertThat(health.getDetails()).containsEntry("catalog", version)
                                .containsEntry("phase", "expanded");
                    });
        }
    }

    @Test
    void withoutAVersionNothingIsConfigured() {
        app.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(InstanceRegistration.class));
    }
}
