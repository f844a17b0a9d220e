package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The recipes of docs/deploy.md (docs/recipes/) parse, strictly (a key given twice is an error), and run each
 * {@code migrate} command at its stage: expand and backfill before the rollout, contract after it; the metrics
 * the canary analysis queries are the ones docs/operations-monitoring.md documents.
 */
class DeployRecipesTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Path RECIPES = DOCS.resolve("recipes");
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            values.forEachRemaining(documents::add);
        }
        return documents;
    }

    private static JsonNode only(Path file) throws IOException {
        List<JsonNode> documents = documents(file);
        assertThat(documents).as(file.toString()).hasSize(1);
        return documents.get(0);
    }

    private static JsonNode kind(List<JsonNode> documents, String kind, String name) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    /** The {@code args} of a Job's init containers, then of its containers: the order they run in. */
    private static List<String> commands(JsonNode job) {
        List<String> commands = new ArrayList<>();
        JsonNode pod = job.path("spec").path("template").path("spec");
        for (String containers : List.of("initContainers", "containers")) {
            pod.path(containers).forEach(c -> commands.add(c.path("args").get(0).asText() + " "
                    + c.path("args").get(1).asText()));
        }
        return commands;
    }

    @Test
    void theParserIsStrict() {
        assertThatThrownBy(() -> YAML.readTree("kind: Job\nkind: Deployment\n")).hasMessageContaining("kind");
    }

    @Test
    void everyYamlRecipeParsesAndIsAKubernetesObjectOrAWorkflow() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(RECIPES)) {
            files = all.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(files).hasSize(6);
        for (Path file : files) {
            for (JsonNode document : documents(file)) {
                if (file.startsWith(RECIPES.resolve("github-actions"))) {
                    assertThat(document.has("jobs")).as(file.toString()).isTrue();
                } else {
                    assertThat(document.path("apiVersion").asText()).as(file + ": apiVersion").isNotEmpty();
                    assertThat(document.path("kind").asText()).as(file + ": kind").isNotEmpty();
                    assertThat(document.path("metadata").path("name").asText()).as(file + ": name").isNotEmpty();
                }
            }
        }
    }

    @Test
    void helmHooksExpandAndBackfillBeforeTheRolloutAndContractAfterIt() throws IOException {
        JsonNode expand = only(RECIPES.resolve("kubernetes/tandem-expand-job.yaml"));
        assertThat(expand.at("/metadata/annotations/helm.sh~1hook").asText()).isEqualTo("pre-install,pre-upgrade");
        assertThat(commands(expand)).containsExactly("expand migrations/product_listing.yaml",
                "backfill product_listing");

        JsonNode contract = only(RECIPES.resolve("kubernetes/tandem-contract-job.yaml"));
        assertThat(contract.at("/metadata/annotations/helm.sh~1hook").asText())
                .isEqualTo("post-install,post-upgrade");
        assertThat(commands(contract)).containsExactly("contract product_listing");
        assertThat(contract.at("/spec/backoffLimit").asInt()).as("retried while old pods terminate").isPositive();

        JsonNode deployment = only(RECIPES.resolve("kubernetes/deployment.yaml"));
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
        JsonNode api = deployment.at("/spec/template/spec/containers/0");
        assertThat(api.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(api.path("env").findValuesAsText("value")).contains("readinessState,tandem", "product_listing");
    }

    @Test
    void argoRolloutsCanaryIsGatedByAnAnalysisOfDocumentedTandemMetrics() throws IOException {
        List<JsonNode> rollout = documents(RECIPES.resolve("argo-rollouts/rollout.yaml"));
        JsonNode expand = kind(rollout, "Job", "shop-tandem-expand");
        assertThat(expand.at("/metadata/annotations/argocd.argoproj.io~1hook").asText()).isEqualTo("PreSync");
        assertThat(commands(expand)).containsExactly("expand migrations/product_listing.yaml",
                "backfill product_listing");
        JsonNode contract = kind(rollout, "Job", "shop-tandem-contract");
        assertThat(contract.at("/metadata/annotations/argocd.argoproj.io~1hook").asText()).isEqualTo("PostSync");
        assertThat(commands(contract)).containsExactly("contract product_listing");

        JsonNode template = only(RECIPES.resolve("argo-rollouts/analysis-template.yaml"));
        String templateName = template.at("/metadata/name").asText();
        JsonNode steps = kind(rollout, "Rollout", "shop-api").at("/spec/strategy/canary/steps");
        assertThat(steps.findValuesAsText("templateName")).isNotEmpty().containsOnly(templateName);
        assertThat(steps.get(0).path("setWeight").asInt()).isBetween(1, 99);

        String monitoring = Files.readString(DOCS.resolve("operations-monitoring.md"));
        List<String> queried = new ArrayList<>();
        for (String query : template.path("spec").findValuesAsText("query")) {
            Matcher metric = Pattern.compile("tandem_[a-z_]+").matcher(query);
            while (metric.find()) {
                queried.add(metric.group());
            }
        }
        assertThat(queried).isNotEmpty().allSatisfy(name -> assertThat(monitoring).contains("`" + name + "`"));
    }

    @Test
    void githubActionsJobsNeedEachOtherInTheDeployOrder() throws IOException {
        JsonNode jobs = only(RECIPES.resolve("github-actions/deploy.yml")).path("jobs");
        assertThat(jobs.fieldNames()).toIterable().containsExactly("expand", "backfill", "deploy", "contract");
        assertThat(jobs.at("/backfill/needs").asText()).isEqualTo("expand");
        assertThat(jobs.at("/deploy/needs").asText()).isEqualTo("backfill");
        assertThat(jobs.at("/contract/needs").asText()).isEqualTo("deploy");
        for (String command : List.of("expand", "backfill", "contract")) {
            assertThat(jobs.path(command).findValuesAsText("run")).anySatisfy(run -> assertThat(run)
                    .contains(command + " \"" + (command.equals("expand") ? "migrations/$MIGRATION.yaml" : "$MIGRATION")
                            + "\""));
        }
    }

    @Test
    void jenkinsfileHasTheStagesInTheDeployOrderEachRunningItsCommand() throws IOException {
        String jenkinsfile = Files.readString(RECIPES.resolve("jenkins/Jenkinsfile"));
        assertThat(jenkinsfile.chars().filter(c -> c == '{').count()).as("balanced braces")
                .isEqualTo(jenkinsfile.chars().filter(c -> c == '}').count());
        List<String> stages = new ArrayList<>();
        Matcher stage = Pattern.compile("stage\\('([^']+)'\\)").matcher(jenkinsfile);
        while (stage.find()) {
            stages.add(stage.group(1));
        }
        assertThat(stages).containsSubsequence("Expand", "Backfill", "Deploy", "Contract");
        assertThat(stageBody(jenkinsfile, "Expand")).contains("migrate expand migrations/${MIGRATION}.yaml");
        assertThat(stageBody(jenkinsfile, "Backfill")).contains("migrate backfill ${MIGRATION}");
        assertThat(stageBody(jenkinsfile, "Deploy")).contains("rollout status").doesNotContain("migrate ");
        assertThat(stageBody(jenkinsfile, "Contract")).contains("input ").contains("migrate contract \"$MIGRATION\"");
    }

    /** The text of stage {@code name} up to the next stage. */
    private static String stageBody(String jenkinsfile, String name) {
        int start = jenkinsfile.indexOf("stage('" + name + "')");
        int next = jenkinsfile.indexOf("stage('", start + 1);
        return jenkinsfile.substring(start, next < 0 ? jenkinsfile.length() : next);
    }
}
