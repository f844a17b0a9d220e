package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rolling (docs/deploy.md), as a Kubernetes Deployment with maxSurge 1 and maxUnavailable 0 does it: the old build
 * runs; expand and backfill; instance by instance, a new one starts and joins the rotation once ready, then an old
 * one leaves it, is drained and stops; contract once the last old one has stopped. Not one request of the load
 * that runs throughout may fail.
 */
@ParameterizedClass
@EnumSource(AppDatabase.Kind.class)
class DeployRollingTest {
    @Parameter
    AppDatabase.Kind kind;

    private DeployHarness deploy;

    @BeforeEach
    void createHarness() throws Exception {
        deploy = new DeployHarness(kind, "rolling");
    }

    @AfterEach
    void stopAll() {
        deploy.close();
    }

    @Test
    void noRequestFails() throws Exception {
        List<ApiInstance> rotation = new ArrayList<>(deploy.start("old", "old-1", "old-2"));
        deploy.proxy().route(rotation);
        LoadGenerator.Report baseline = deploy.baseline();

        LoadGenerator load = deploy.load();
        deploy.migrate("expand");
        deploy.migrate("backfill");
        for (int i = 1; i <= 2; i++) {
            ApiInstance replacement = deploy.start("new", "new-" + i).get(0);
            rotation.add(replacement);
            deploy.proxy().route(rotation);
            ApiInstance replaced = rotation.remove(0);
            deploy.proxy().route(rotation);
            deploy.stop(replaced);
        }
        deploy.migrate("contract");
        deploy.finish(load, baseline);

        assertThat(deploy.proxy().served()).containsKeys("old-1", "old-2", "new-1", "new-2");
        assertThat(rotation).allSatisfy(instance -> assertThat(instance.ready()).isTrue());
    }
}
