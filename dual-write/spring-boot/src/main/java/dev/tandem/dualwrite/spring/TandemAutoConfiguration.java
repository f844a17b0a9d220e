package dev.tandem.dualwrite.spring;

import dev.tandem.dualwrite.GuardListener;
import dev.tandem.dualwrite.InstanceRegistration;
import dev.tandem.dualwrite.PhaseGuard;
import dev.tandem.dualwrite.PhaseView;
import dev.tandem.dualwrite.SchemaVersion;
import dev.tandem.dualwrite.metrics.TandemMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code tandem.version} set: pins the application's DataSource to that schema version, and registers
 * the instance at start-up, which fails (with {@link PhaseGuardFailureAnalyzer}'s message) when the database
 * does not offer the version. Adds a {@code tandem} health indicator when Spring Boot's health support is there,
 * and {@link TandemMetrics} when Micrometer is; every {@link GuardListener} bean listens to the guard.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(DataSourceAutoConfiguration.class)
@ConditionalOnProperty(prefix = "tandem", name = "version")
@EnableConfigurationProperties(TandemProperties.class)
public class TandemAutoConfiguration {
    @Bean
    @ConditionalOnMissingBean
    PhaseGuard tandemPhaseGuard(TandemProperties properties, ObjectProvider<GuardListener> listeners) {
        return properties.guard(listeners.orderedStream());
    }

    /** Static, so that it exists before the DataSource it changes is created. */
    @Bean
    static SearchPathPostProcessor tandemSearchPathPostProcessor(ObjectProvider<PhaseGuard> guard) {
        return new SearchPathPostProcessor(guard);
    }

    /** The start-up check and the instance's heartbeat; closed (and deregistered) with the context. */
    @Bean
    @ConditionalOnBean(DataSource.class)
    InstanceRegistration tandemInstanceRegistration(PhaseGuard guard, DataSource dataSource) {
        return guard.start(dataSource);
    }

    @Bean
    @ConditionalOnBean(DataSource.class)
    SchemaVersion tandemSchemaVersion(InstanceRegistration registration) {
        return registration.version();
    }

    /** For feature toggles and {@link dev.tandem.dualwrite.DualWriter}. */
    @Bean
    @ConditionalOnMissingBean
    PhaseView tandemPhaseView(PhaseGuard guard) {
        return guard.phases();
    }

    /** Spring Boot's metrics auto-configuration binds every MeterBinder bean to the application's registries. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        TandemMetrics tandemMetrics() {
            return new TandemMetrics();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnBean(DataSource.class)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "tandemHealthIndicator")
        HealthIndicator tandemHealthIndicator(PhaseGuard guard, DataSource dataSource) {
            return new TandemHealthIndicator(guard, dataSource);
        }
    }
}
