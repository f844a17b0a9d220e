package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Blue-green (docs/deploy.md): blue runs the old build; expand and backfill; green (the new build) starts beside
 * it and passes its readiness probe; the front switches all traffic to green at once; blue, idle, stops; contract.
 * Not one request of the load that runs throughout may fail.
 */
@ParameterizedClass
@EnumSource(AppDatabase.Kind.class)
class DeployBlueGreenTest {
    @Parameter
    AppDatabase.Kind kind;

    private DeployHarness deploy;

    @BeforeEach
    void startBlue() throws Exception {
        deploy = new DeployHarness(kind, "blue-green");
    }

    @AfterEach
    void stopAll() {
        deploy.close();
    }

    @Test
    void noRequestFails() throws Exception {
        List<ApiInstance> blue = deploy.start("old", "blue-1", "blue-2");
        deploy.proxy().route(blue);
        LoadGenerator.Report baseline = deploy.baseline();

        LoadGenerator load = deploy.load();
        deploy.migrate("expand");
        deploy.migrate("backfill");
        List<ApiInstance> green = deploy.start("new", "green-1", "green-2");
        deploy.stage("switch to green");
        deploy.proxy().route(green);
        Thread.sleep(1_000); // blue stays up, idle, as the way back, until green has served for a while
        for (ApiInstance instance : blue) {
            deploy.stop(instance);
        }
        deploy.migrate("contract");
        deploy.finish(load, baseline);

        assertThat(deploy.proxy().served()).containsKeys("blue-1", "blue-2", "green-1", "green-2");
        for (ApiInstance instance : green) {
            assertThat(instance.ready()).as("green after contract").isTrue();
            assertThat(instance.metric("tandem_instance_version{version=\"product_listing\"}")).isEqualTo(1.0);
        }
    }
}
