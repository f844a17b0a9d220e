package dev.tandem.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.files.StrictMapper;
import dev.tandem.coordinator.internal.operation.Operation;
import dev.tandem.coordinator.internal.operation.PerDatabase;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.sql.Identifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Reads migration files (YAML, or JSON by the {@code .json} extension). Strict: unknown keys, duplicate
 * keys, wrong types and missing fields are errors that name the file, the operation and the problem.
 */
public final class MigrationParser {
    private static final int MAX_NAME_BYTES = 40;

    private final ObjectMapper yaml = StrictMapper.configure(new ObjectMapper(new YAMLFactory()));
    private final ObjectMapper json = StrictMapper.configure(JsonMapper.builder().build());

    public MigrationParser() {
    }

    public Migration parse(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidMigrationException(file + ": cannot be read: " + e.getMessage(), e);
        }
        String fileName = file.getFileName().toString();
        return parse(fileName, bytes);
    }

    /**
     * Reads a migration for no database in particular: where the file gives an expression per database, the
     * migration holds PostgreSQL's (else MariaDB's); {@link Migration#on} reads it for one database.
     */
    public Migration parse(String source, byte[] bytes) {
        return parse(source, bytes, null);
    }

    /**
     * Reads a migration for {@code database}: where the file gives an expression per database, the migration
     * holds that database's, and a field without one for it is an error.
     *
     * @param database null for no database in particular
     */
    public Migration parse(String source, byte[] bytes, Database database) {
        ObjectMapper mapper = source.toLowerCase(Locale.ROOT).endsWith(".json") ? json : yaml;
        MigrationFile parsed;
        try {
            parsed = mapper.readerFor(MigrationFile.class).withAttribute(PerDatabase.DATABASE, database)
                    .readValue(bytes);
        } catch (JsonProcessingException e) {
            String yamlText = mapper == yaml ? new String(bytes, StandardCharsets.UTF_8) : null;
            throw new InvalidMigrationException(source + ": "
                    + StrictMapper.describe(e, operationKinds(mapper, bytes), yamlText), e);
        } catch (IOException e) {
            throw new InvalidMigrationException(source + ": cannot be read: " + e.getMessage(), e);
        }
        if (parsed == null) {
            throw new InvalidMigrationException(source + ": the file is empty");
        }
        String checksum = HexFormat.of().formatHex(Names.sha256(bytes));
        return new Migration(parsed.name(), List.copyOf(parsed.operations()), source, checksum, bytes,
                parsed.after());
    }

    /** Checks a migration name: it becomes part of schema and object names. */
    public static String nameProblem(String name) {
        if (name == null) {
            return "missing 'name'";
        }
        String problem = Identifier.problem(name);
        if (problem != null) {
            return "'name' '" + name + "' " + problem;
        }
        if (name.length() > MAX_NAME_BYTES) {
            return "'name' '" + name + "' is longer than " + MAX_NAME_BYTES + " characters (it becomes part of "
                    + "the version schema's name)";
        }
        return null;
    }

    private record MigrationFile(@JsonProperty(required = true) String name, String after,
                                 @JsonProperty(required = true) List<Operation> operations) {
        MigrationFile {
            String problem = nameProblem(name);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            String afterProblem = after == null ? null : nameProblem(after);
            if (afterProblem != null) {
                throw new IllegalArgumentException(afterProblem.replaceFirst("^'name'", "'after'"));
            }
            if (name.equals(after)) {
                throw new IllegalArgumentException("'after' names the migration itself, '" + name + "'");
            }
            if (operations == null || operations.isEmpty()) {
                throw new IllegalArgumentException("'operations' needs at least one operation");
            }
        }
    }

    /** The operation names in the file, read leniently, so a message can say which operation is wrong. */
    private static List<String> operationKinds(ObjectMapper mapper, byte[] bytes) {
        try {
            JsonNode operations = mapper.readTree(bytes).path("operations");
            List<String> kinds = new ArrayList<>();
            for (JsonNode operation : operations) {
                kinds.add(operation.isObject() && operation.size() == 1 ? operation.fieldNames().next() : "?");
            }
            return kinds;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
