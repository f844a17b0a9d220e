package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped by a signal ends its output saying so, and where it was: JSON readers get a last document. */
class MigrateInterruptedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anInterruptedBackfillEndsWithADocumentSayingWhere() throws IOException, InterruptedException {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute(Examples.shop());
            Cli.Result expand = new Cli(db).run("expand", Cli.example(dir, "add_column.yaml").toString());
            assertThat(expand.exitCode()).as(expand.toString()).isZero();

            // a separate JVM, as the signal ends it; the rate keeps the backfill running for a minute
            Process backfill = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "backfill", "--url", db.url(),
                    "--output", "json", "--max-rate", "3", "--batch-size", "3", "--batch-min", "3")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<JsonNode> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(backfill.getInputStream(), StandardCharsets.UTF_8))) {
                lines.add(JSON.readTree(out.readLine()));
                backfill.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stdout
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(JSON.readTree(line));
                }
            }
            backfill.waitFor();

            assertThat(lines.get(0).at("/event").asText()).isEqualTo("progress");
            JsonNode last = lines.get(lines.size() - 1);
            assertThat(last.at("/interrupted/command").asText()).isEqualTo("migrate backfill");
            assertThat(last.at("/interrupted/at").asText()).startsWith("backfill of customers, ")
                    .endsWith(" rows done; run it again to continue");
        }
    }

    @Test
    void demoWithOutputJsonPrintsOneDocument() {
        Cli.Result demo = Cli.runRaw("demo", "--output", "json");

        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.json().at("/verified").asBoolean()).isTrue();
        assertThat(demo.json().at("/problems").isEmpty()).isTrue();
        assertThat(demo.err()).contains("demo verified");
    }
}
