package dev.tandem.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HikariSupportTest {
    private TestDatabase db;

    @BeforeEach
    void createShop() {
        db = TestDatabase.create();
        db.execute(Examples.shop());
        db.tandem().expand(Examples.migration("add_column.yaml"));
        db.tandem().backfill("add_display_name", BackfillListener.NONE);
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private HikariConfig config() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url());
        config.setMaximumPoolSize(2);
        return config;
    }

    @Test
    void everyConnectionOfThePoolRunsOnTheVersion() throws Exception {
        HikariConfig config = config();
        SchemaVersion version;
        try (HikariDataSource bootstrap = new HikariDataSource(config)) {
            version = PhaseGuard.builder("add_display_name").build().check(bootstrap);
        }
        try (HikariDataSource pool = new HikariDataSource(HikariSupport.configure(config, version));
             Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT array_to_string(current_schemas(false), ',')")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("public_add_display_name,public");
        }
    }

    @Test
    void refusesToReplaceOtherInitSql() {
        HikariConfig config = config();
        config.setPoolName("orders");
        config.setConnectionInitSql("SET application_name = 'orders'");
        SchemaVersion version = PhaseGuard.builder("base").build().check(db.pool());

        assertThatThrownBy(() -> HikariSupport.configure(config, version))
                .hasMessage("pool orders already has connection init SQL; add SchemaVersion.initSql() "
                        + "(SET search_path TO \"public\") to it yourself");
    }
}
