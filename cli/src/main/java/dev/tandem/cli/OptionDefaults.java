package dev.tandem.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tandem.coordinator.internal.files.YamlSyntax;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Where an option not given on the command line gets its value: the environment variable {@code TANDEM_<OPTION>}
 * ({@code --lock-timeout}: {@code TANDEM_LOCK_TIMEOUT}), else the config file ({@code --config FILE}, env
 * {@code TANDEM_CONFIG}, or {@code tandem.yaml} / {@code tandem.properties} in the working directory), else the
 * option's own default.
 */
final class OptionDefaults implements IDefaultValueProvider {
    static final String ENV_PREFIX = "TANDEM_";
    static final String CONFIG_OPTION = "--config";
    private static final String CONFIG_ENV = "TANDEM_CONFIG";
    private static final String YAML = "tandem.yaml";
    private static final String PROPERTIES = "tandem.properties";

    /** How {@code --help} explains it. */
    static final String HELP = "%nSettings: every option can also come from env " + ENV_PREFIX + "<OPTION>%n"
            + "  (--lock-timeout: " + ENV_PREFIX + "LOCK_TIMEOUT) or from a config file: --config FILE, env%n"
            + "  " + CONFIG_ENV + ", or " + YAML + " / " + PROPERTIES + " in the working directory%n"
            + "  (lock-timeout: 1000). A flag wins over env, env over the file, the file over%n"
            + "  the default; --help shows the value in force as the default. verify's%n"
            + "  --scratch-url and --user are verify-url and verify-user there.%n";

    private final CommandSpec root;
    private final Map<String, String> env;
    private final Path workingDirectory;
    private Path configFile;
    private Path loadedFrom;
    private Map<String, String> loaded;

    OptionDefaults(CommandSpec root, Map<String, String> env, Path workingDirectory) {
        this.root = root;
        this.env = env;
        this.workingDirectory = workingDirectory;
    }

    /** The file {@code --config} names; read when the first default is asked for. */
    void configFile(Path file) {
        configFile = file;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.interactive() || option.usageHelp() || option.versionHelp()
                || option.longestName().equals(CONFIG_OPTION)) {
            return null;
        }
        return value(key(option));
    }

    /** The value of setting {@code key} (an option's name without dashes) from env or the config file, or null. */
    String value(String key) {
        String fromEnv = env.get(ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_'));
        return fromEnv != null ? fromEnv : file().get(key);
    }

    /**
     * An option's name without its dashes; verify's own {@code --url} and {@code --user} (a scratch server) get
     * their own keys, so that the settings of the database deploys run on never send verify there.
     */
    private static String key(OptionSpec option) {
        String name = option.longestName().replaceFirst("^--?", "");
        if (option.command().userObject() instanceof VerifyCommand) {
            if (name.equals("scratch-url")) {
                return "verify-url";
            }
            if (name.equals("user")) {
                return "verify-user";
            }
        }
        return name;
    }

    private Map<String, String> file() {
        Path file = configFile != null ? configFile
                : env.containsKey(CONFIG_ENV) ? workingDirectory.resolve(env.get(CONFIG_ENV)) : found();
        if (file == null) {
            return Map.of();
        }
        if (!file.equals(loadedFrom)) {
            loaded = read(file);
            loadedFrom = file;
        }
        return loaded;
    }

    /** tandem.yaml or tandem.properties in the working directory; null for neither. */
    private Path found() {
        Path yaml = workingDirectory.resolve(YAML);
        Path properties = workingDirectory.resolve(PROPERTIES);
        if (Files.exists(yaml) && Files.exists(properties)) {
            throw bad(yaml + " and " + properties + " both exist: keep one");
        }
        return Files.exists(yaml) ? yaml : Files.exists(properties) ? properties : null;
    }

    private Map<String, String> read(Path file) {
        Map<String, String> settings = new HashMap<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (file.getFileName().toString().endsWith(".properties")) {
                Properties properties = new Properties();
                properties.load(reader);
                properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key).trim()));
            } else {
                JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(reader);
                if (yaml != null && !yaml.isObject()) {
                    throw bad(file + ": expected lines 'option: value', e.g. 'lock-timeout: 1000'");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = yaml == null ? null : yaml.fields();
                        it != null && it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    if (!entry.getValue().isValueNode()) {
                        throw bad(file + ": '" + entry.getKey() + "' takes one value");
                    }
                    settings.put(entry.getKey(), entry.getValue().asText());
                }
            }
        } catch (JsonProcessingException e) {
            String syntax = YamlSyntax.describe(e);
            throw bad(file + ": " + (syntax != null ? syntax : e.getOriginalMessage()));
        } catch (NoSuchFileException e) {
            throw bad(file + ": no such config file");
        } catch (IOException e) {
            throw bad(file + ": cannot be read (" + e.getMessage() + ")");
        }
        Set<String> known = keys(root);
        for (String key : settings.keySet()) {
            if (!known.contains(key)) {
                throw bad(file + ": unknown setting '" + key + "'; expected one of " + String.join(", ", known));
            }
        }
        return settings;
    }

    /** The settings keys of every option of {@code command} and its subcommands. */
    private static Set<String> keys(CommandSpec command) {
        Set<String> keys = new TreeSet<>();
        for (OptionSpec option : command.options()) {
            if (!option.interactive() && !option.usageHelp() && !option.versionHelp()
                    && !option.longestName().equals(CONFIG_OPTION)) {
                keys.add(key(option));
            }
        }
        command.subcommands().values().forEach(sub -> keys.addAll(keys(sub.getCommandSpec())));
        return keys;
    }

    private ParameterException bad(String message) {
        return new ParameterException(root.commandLine(), message);
    }
}
