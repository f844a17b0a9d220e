package dev.tandem.coordinator.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.files.StrictMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads fleet files (YAML, see docs/fleet.md) as strictly as migration files: unknown or duplicate keys and wrong
 * types are errors naming the file, the place and the line. Credentials are resolved here, from environment
 * variables or a secrets file, so a missing one stops the run before any target changes; messages name the
 * variable or key, never a value.
 */
public final class FleetParser {
    static final String PLACEHOLDER = "{name}";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final int MAX_CONCURRENCY = 256;

    private final ObjectMapper yaml = StrictMapper.configure(new ObjectMapper(new YAMLFactory()));
    private final Function<String, String> env;

    public FleetParser() {
        this(System::getenv);
    }

    /** @param env looks up environment variables named by {@code user_env} and {@code password_env} */
    public FleetParser(Function<String, String> env) {
        this.env = env;
    }

    public Fleet parse(Path file) {
        String source = file.toString();
        FleetFile parsed;
        try {
            byte[] bytes = Files.readAllBytes(file);
            try {
                parsed = yaml.readValue(bytes, FleetFile.class);
            } catch (JsonProcessingException e) {
                throw new InvalidMigrationException(source + ": " + StrictMapper.describe(e, yaml, bytes), e);
            }
        } catch (IOException e) {
            throw new InvalidMigrationException(source + ": cannot be read: " + e.getMessage(), e);
        }
        if (parsed == null) {
            throw new InvalidMigrationException(source + ": the file is empty");
        }
        return new Resolver(file).fleet(parsed);
    }

    private record FleetFile(Integer concurrency, String schema, Credentials credentials,
                             @JsonProperty(required = true) List<WaveFile> waves) {
        FleetFile {
            if (concurrency != null && (concurrency < 1 || concurrency > MAX_CONCURRENCY)) {
                throw new IllegalArgumentException("'concurrency' must be between 1 and " + MAX_CONCURRENCY
                        + ", not " + concurrency);
            }
            if (waves == null || waves.isEmpty()) {
                throw new IllegalArgumentException("'waves' needs at least one wave");
            }
        }
    }

    private record WaveFile(@JsonProperty(required = true) String name, List<TargetFile> targets,
                            String urlTemplate, List<String> names, String schema, Credentials credentials) {
        WaveFile {
            requireName("wave name", name);
            if ((urlTemplate == null) != (names == null)) {
                throw new IllegalArgumentException("wave '" + name + "': 'url_template' and 'names' go together");
            }
            if (urlTemplate != null && !urlTemplate.contains(PLACEHOLDER)) {
                throw new IllegalArgumentException("wave '" + name + "': 'url_template' has no " + PLACEHOLDER);
            }
            if ((targets == null || targets.isEmpty()) && (names == null || names.isEmpty())) {
                throw new IllegalArgumentException("wave '" + name + "' has no target: list 'targets', or give "
                        + "'url_template' and 'names'");
            }
            if (names != null) {
                names.forEach(n -> requireName("wave '" + name + "': name", n));
            }
        }
    }

    /** @param name default: the database the URL names */
    private record TargetFile(String name, @JsonProperty(required = true) String url, String schema,
                              Credentials credentials) {
        TargetFile {
            if (name != null) {
                requireName("target name", name);
            }
        }
    }

    /** Who connects. Every value may hold {name}, replaced by the target's name. */
    private record Credentials(String user, String userEnv, String userKey, String passwordEnv, String passwordKey,
                               String secretsFile) {
        Credentials {
            if (count(user, userEnv, userKey) > 1) {
                throw new IllegalArgumentException("credentials: give one of 'user', 'user_env' and 'user_key'");
            }
            if (passwordEnv != null && passwordKey != null) {
                throw new IllegalArgumentException("credentials: give one of 'password_env' and 'password_key'");
            }
            if ((userKey != null || passwordKey != null) && secretsFile == null) {
                throw new IllegalArgumentException("credentials: 'user_key' and 'password_key' need 'secrets_file'");
            }
        }

        private static int count(String... values) {
            int n = 0;
            for (String value : values) {
                n += value == null ? 0 : 1;
            }
            return n;
        }
    }

    private static void requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' must be letters, digits, '_', '.' or '-'");
        }
    }

    /** Turns the file's waves into targets: names, {name} substitution, credentials. */
    private final class Resolver {
        private final Path file;
        private final String source;
        private final Map<String, Properties> secrets = new HashMap<>();

        Resolver(Path file) {
            this.file = file;
            this.source = file.toString();
        }

        Fleet fleet(FleetFile parsed) {
            Map<String, String> waveOf = new HashMap<>();
            List<Fleet.Wave> waves = new ArrayList<>();
            for (WaveFile wave : parsed.waves()) {
                if (waves.stream().anyMatch(w -> w.name().equals(wave.name()))) {
                    throw invalid("wave '" + wave.name() + "' appears twice");
                }
                Map<String, FleetTarget> targets = new LinkedHashMap<>();
                String schema = wave.schema() != null ? wave.schema() : parsed.schema();
                Credentials credentials = wave.credentials() != null ? wave.credentials() : parsed.credentials();
                for (TargetFile t : wave.targets() == null ? List.<TargetFile>of() : wave.targets()) {
                    String name = t.name() != null ? t.name() : databaseOf(wave.name(), t.url());
                    add(targets, waveOf, target(wave.name(), name, t.url(), t.schema() != null ? t.schema() : schema,
                            t.credentials() != null ? t.credentials() : credentials));
                }
                for (String name : wave.names() == null ? List.<String>of() : wave.names()) {
                    add(targets, waveOf, target(wave.name(), name, wave.urlTemplate(), schema, credentials));
                }
                waves.add(new Fleet.Wave(wave.name(), List.copyOf(targets.values())));
            }
            return new Fleet(source, parsed.concurrency() == null ? 1 : parsed.concurrency(), waves);
        }

        private void add(Map<String, FleetTarget> targets, Map<String, String> waveOf, FleetTarget target) {
            String earlier = waveOf.putIfAbsent(target.name(), target.wave());
            if (earlier != null) {
                throw invalid("target '" + target.name() + "' appears twice (waves '" + earlier + "' and '"
                        + target.wave() + "'); each database belongs to one wave");
            }
            targets.put(target.name(), target);
        }

        private FleetTarget target(String wave, String name, String url, String schema, Credentials credentials) {
            String where = "wave '" + wave + "', target '" + name + "'";
            String user = null;
            String password = null;
            if (credentials != null) {
                user = value(where, "user", fill(credentials.user(), name), fill(credentials.userEnv(), name),
                        fill(credentials.userKey(), name), credentials.secretsFile());
                password = value(where, "password", null, fill(credentials.passwordEnv(), name),
                        fill(credentials.passwordKey(), name), credentials.secretsFile());
            }
            return new FleetTarget(name, wave, fill(url, name), fill(schema, name), user, password);
        }

        /** A credential given literally, by environment variable, or by key of the secrets file; or null. */
        private String value(String where, String what, String literal, String envName, String key,
                             String secretsFile) {
            if (literal != null) {
                return literal;
            }
            if (envName != null) {
                String value = env.apply(envName);
                if (value == null) {
                    throw invalid(where + ": environment variable '" + envName + "' (" + what + "_env) is not set");
                }
                return value;
            }
            if (key != null) {
                Path path = secretsPath(secretsFile);
                String value = secrets(path).getProperty(key);
                if (value == null) {
                    throw invalid(where + ": secrets file " + path + " has no key '" + key + "' (" + what + "_key)");
                }
                return value;
            }
            return null;
        }

        private Path secretsPath(String secretsFile) {
            Path dir = file.toAbsolutePath().getParent();
            return dir == null ? Path.of(secretsFile) : dir.resolve(secretsFile);
        }

        private Properties secrets(Path path) {
            return secrets.computeIfAbsent(path.toString(), p -> {
                Properties properties = new Properties();
                try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                    properties.load(in);
                } catch (IOException e) {
                    throw invalid("secrets file " + path + " cannot be read: " + e.getClass().getSimpleName());
                }
                return properties;
            });
        }

        /** The database a URL names: its path after the host, up to the parameters. */
        private String databaseOf(String wave, String url) {
            String rest = url.replaceFirst("^[a-z:]+//[^/]*/?", "");
            String database = rest.split("[?;]", 2)[0];
            if (!NAME.matcher(database).matches()) {
                throw invalid("wave '" + wave + "': the URL names no database to call the target by; give it a "
                        + "'name'");
            }
            return database;
        }

        private InvalidMigrationException invalid(String problem) {
            return new InvalidMigrationException(source + ": " + problem);
        }
    }

    private static String fill(String text, String name) {
        return text == null ? null : text.replace(PLACEHOLDER, name);
    }
}
