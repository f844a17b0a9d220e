package dev.tandem.dualwrite.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.dualwrite.HikariSupport;
import dev.tandem.dualwrite.PhaseGuard;
import dev.tandem.dualwrite.SchemaVersion;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Puts every connection of the application's DataSources on the version the guard resolves, before anything
 * uses them: a HikariCP pool that has not started gets the version's {@code SET search_path} as its connection
 * init SQL (on MariaDB and MySQL: the version's database as its catalog and {@code SET @tandem_version}),
 * checked through a one-connection copy of the pool, so the pool itself starts pinned; any other DataSource is
 * wrapped so each borrowed connection sets it.
 */
final class SearchPathPostProcessor implements BeanPostProcessor {
    private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
            SearchPathPostProcessor.class.getClassLoader());

    private final ObjectProvider<PhaseGuard> guard;

    SearchPathPostProcessor(ObjectProvider<PhaseGuard> guard) {
        this.guard = guard;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource) || bean instanceof SearchPathDataSource) {
            return bean;
        }
        if (HIKARI_PRESENT && Hikari.pinBeforeStart(bean, guard.getObject())) {
            return bean;
        }
        return new SearchPathDataSource((DataSource) bean, guard.getObject().check((DataSource) bean));
    }

    /** Kept apart so that nothing loads HikariCP's classes when the application does not have them. */
    private static final class Hikari {
        static boolean pinBeforeStart(Object bean, PhaseGuard guard) {
            if (!(bean instanceof HikariDataSource) || ((HikariDataSource) bean).isRunning()) {
                return false;
            }
            HikariDataSource pool = (HikariDataSource) bean;
            SchemaVersion version;
            try (HikariDataSource probe = new HikariDataSource(probeConfig(pool))) {
                version = guard.check(probe);
            }
            HikariSupport.configure(pool, version);
            return true;
        }

        private static HikariConfig probeConfig(HikariDataSource pool) {
            HikariConfig probe = new HikariConfig();
            pool.copyStateTo(probe);
            probe.setPoolName("tandem-check");
            probe.setMaximumPoolSize(1);
            probe.setMinimumIdle(0);
            probe.setInitializationFailTimeout(-1);
            probe.setConnectionInitSql(null);
            return probe;
        }
    }
}
