package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Canary (docs/deploy.md): the old build runs; expand and backfill; one instance of the new build takes a fifth of
 * the traffic while the old instances keep the rest; the canary's analysis reads its Tandem metrics (the version
 * it serves, no refusal) and the failures so far; then the new build takes all traffic, the old instances stop,
 * contract. Not one request of the load that runs throughout may fail.
 */
@ParameterizedClass
@EnumSource(AppDatabase.Kind.class)
class DeployCanaryTest {
    private static final String SERVES_NEW = "tandem_instance_version{version=\"" + ProductsApi.MIGRATION + "\"}";

    @Parameter
    AppDatabase.Kind kind;

    private DeployHarness deploy;

    @BeforeEach
    void createHarness() throws Exception {
        deploy = new DeployHarness(kind, "canary");
    }

    @AfterEach
    void stopAll() {
        deploy.close();
    }

    @Test
    void noRequestFails() throws Exception {
        List<ApiInstance> old = deploy.start("old", "old-1", "old-2");
        deploy.proxy().route(old);
        LoadGenerator.Report baseline = deploy.baseline();

        LoadGenerator load = deploy.load();
        deploy.migrate("expand");
        deploy.migrate("backfill");
        ApiInstance canary = deploy.start("new", "canary").get(0);
        deploy.stage("canary takes 20% of the traffic");
        deploy.proxy().route(Map.of(old.get(0), 2, old.get(1), 2, canary, 1));
        Thread.sleep(2_000);

        deploy.stage("canary analysis");
        assertThat(canary.metric(SERVES_NEW)).isEqualTo(1.0);
        assertThat(canary.metric("tandem_guard_decisions_total{outcome=\"refused\",version=\""
                + ProductsApi.MIGRATION + "\"}")).as("no refusal: the sample is absent").isNaN();
        assertThat(load.failures()).isEmpty();
        assertThat(deploy.proxy().served().get("canary")).isPositive();

        ApiInstance second = deploy.start("new", "new-2").get(0);
        deploy.stage("new build takes all traffic");
        deploy.proxy().route(List.of(canary, second));
        for (ApiInstance instance : old) {
            deploy.stop(instance);
        }
        deploy.migrate("contract");
        deploy.finish(load, baseline);

        assertThat(deploy.proxy().served()).containsKeys("old-1", "old-2", "canary", "new-2");
        assertThat(second.ready()).as("new build after contract").isTrue();
    }
}
