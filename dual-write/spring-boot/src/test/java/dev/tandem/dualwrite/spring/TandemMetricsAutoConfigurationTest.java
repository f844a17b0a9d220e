package dev.tandem.dualwrite.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.metrics.TandemMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TandemMetricsAutoConfigurationTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    private ApplicationContextRunner app;

    @BeforeEach
    void createShop() {
        db.execute(Examples.shop());
        app = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        TandemAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + db.url(), "tandem.timeout=5s", "tandem.version=base");
    }

    /** Binds every MeterBinder bean as Spring Boot's metrics auto-configuration does, then scrapes. */
    @Test
    void withMicrometerTheGuardReportsToAMeterBinderBean() {
        app.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TandemMetrics.class);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getBeansOfType(MeterBinder.class).values().forEach(binder -> binder.bindTo(registry));
            double accepted = accepted(registry);
            assertThat(accepted).as("the start-up check").isPositive();
            context.getBean("tandemHealthIndicator", HealthIndicator.class).health(true);

            assertThat(accepted(registry)).as("and the health check").isEqualTo(accepted + 1);
            assertThat(registry.scrape()).contains("tandem_instance_version{version=\"base\"} 1.0")
                    .doesNotContain("tandem_instance_heartbeat_age_seconds NaN");
        });
    }

    private static double accepted(MeterRegistry registry) {
        return registry.get("tandem.guard.decisions").tags("version", "base", "outcome", "accepted").functionCounter()
                .count();
    }

    @Test
    void withoutMicrometerTheApplicationStartsWithoutMetrics() {
        app.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(InstanceRegistration.class).doesNotHaveBean(TandemMetrics.class));
    }
}
