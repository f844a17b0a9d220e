package dev.tandem.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.files.StrictMapper;
import dev.tandem.dualwrite.verify.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The two shapes {@code migrate verify-data} compares, read from a YAML (or, by extension, JSON) file:
 *
 * <pre>
 * old: {table: customers, key: [id], columns: [phone]}
 * new: {table: customer_phones, key: [customer_id], columns: [phone]}
 * </pre>
 */
record VerifySpec(@JsonProperty("old") Shape oldShape, @JsonProperty("new") Shape newShape) {
    VerifySpec {
        if (oldShape == null || newShape == null) {
            throw new IllegalArgumentException("both 'old' and 'new' are required");
        }
    }

    static VerifySpec read(Path file) {
        ObjectMapper mapper = StrictMapper.configure(file.toString().toLowerCase(Locale.ROOT).endsWith(".json")
                ? JsonMapper.builder().build() : new ObjectMapper(new YAMLFactory()));
        try {
            return mapper.readValue(Files.readAllBytes(file), VerifySpec.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            String message = cause == e ? e.getOriginalMessage() : cause.getMessage();
            throw new InvalidMigrationException(file + ": " + message, e);
        } catch (IOException e) {
            throw new InvalidMigrationException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
