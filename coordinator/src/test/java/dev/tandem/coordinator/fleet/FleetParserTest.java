package dev.tandem.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleet files: waves, {name} templates, credentials from env and a secrets file, and strict errors. */
class FleetParserTest {
    private static final Map<String, String> ENV = Map.of("TENANT_DB_PASSWORD", "env-pw", "TENANT_DB_USER", "app");

    @TempDir
    Path dir;

    private Fleet parse(String yaml) throws IOException {
        return new FleetParser(ENV::get).parse(Files.writeString(dir.resolve("fleet.yaml"), yaml));
    }

    private void assertInvalid(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(InvalidMigrationException.class)
                .hasMessage(dir.resolve("fleet.yaml") + ": " + message);
    }

    @Test
    void readsTheExampleTenantsFile() throws IOException {
        Path file = dir.resolve("tenants.yaml");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("fleet/tenants.yaml")) {
            Files.write(file, in.readAllBytes());
        }
        Files.writeString(dir.resolve("tenants.secrets"), "initech.password=pw-initech\numbrella.password=pw-u\n"
                + "hooli.password=pw-h\nstark.password=pw-s\nwayne.password=pw-w\nwonka.password=pw-wo\n");

        Fleet fleet = new FleetParser(ENV::get).parse(file);

        assertThat(fleet.concurrency()).isEqualTo(4);
        assertThat(fleet.waves()).extracting(Fleet.Wave::name).containsExactly("canary", "rest");
        assertThat(fleet.waves().get(0).targets()).containsExactly(
                new FleetTarget("acme", "canary", "jdbc:postgresql://127.0.0.1:5432/tenant_acme", null, "tandem",
                        "env-pw"),
                new FleetTarget("tenant_globex", "canary", "jdbc:mariadb://127.0.0.1:3306/tenant_globex", null,
                        "tandem", "env-pw"));
        assertThat(fleet.waves().get(1).targets()).hasSize(6).first().isEqualTo(new FleetTarget("initech", "rest",
                "jdbc:postgresql://127.0.0.1:5432/tenant_initech", "public", "app", "pw-initech"));
        assertThat(fleet.targets()).hasSize(8).allSatisfy(t -> assertThat(t.toString()).doesNotContain("pw"));
    }

    @Test
    void unknownKeysNameTheKeyAndLine() {
        assertInvalid("waves:\n  - name: a\n    targets:\n      - url: jdbc:postgresql://h/db\n        pasword: x\n"
                        + "        schema: s\n",
                "waves[0].targets[0].pasword: unknown key 'pasword'; expected one of credentials, name, schema, "
                        + "url (line 5)");
    }

    @Test
    void refusesWhatCannotBeRun() {
        assertInvalid("waves: []\n", "'waves' needs at least one wave (line 2)");
        assertInvalid("concurrency: 0\nwaves:\n  - name: a\n    url_template: jdbc:postgresql://h/{name}\n"
                + "    names: [x]\n", "'concurrency' must be between 1 and 256, not 0 (line 6)");
        assertInvalid("waves:\n  - name: a\n    url_template: jdbc:postgresql://h/db\n    names: [x]\n",
                "waves[0]: wave 'a': 'url_template' has no {name} (line 5)");
        assertInvalid("waves:\n  - name: a\n    url_template: jdbc:postgresql://h/{name}\n    names: [x]\n"
                + "  - name: b\n    targets:\n      - {name: x, url: 'jdbc:postgresql://h/x'}\n",
                "target 'x' appears twice (waves 'a' and 'b'); each database belongs to one wave");
    }

    @Test
    void credentialsComeFromEnvOrTheSecretsFileAndErrorsNameOnlyTheirSource() throws IOException {
        Files.writeString(dir.resolve("s.properties"), "a.password=pw-a\n");
        String yaml = "credentials: {user_env: TENANT_DB_USER, secrets_file: s.properties, "
                + "password_key: '{name}.password'}\nwaves:\n  - name: w\n    url_template: jdbc:postgresql://h/{name}\n"
                + "    names: [a, b]\n";
        assertInvalid(yaml, "wave 'w', target 'b': secrets file " + dir.toAbsolutePath().resolve("s.properties")
                + " has no key 'b.password' (password_key)");
        Fleet fleet = parse(yaml.replace("[a, b]", "[a]"));
        assertThat(fleet.targets().get(0).user()).isEqualTo("app");
        assertThat(fleet.targets().get(0).password()).isEqualTo("pw-a");
        assertInvalid("credentials: {password_env: NOT_SET}\nwaves:\n  - name: w\n    targets: [{url: 'jdbc:x://h/d'}]\n",
                "wave 'w', target 'd': environment variable 'NOT_SET' (password_env) is not set");
    }
}
