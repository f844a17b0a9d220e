package dev.tandem.coordinator.internal.operation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tandem.coordinator.internal.schema.Names;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * Whether a column is unique: {@code unique: true} (or {@code false}), or named: {@code unique: {name: sku_key}}.
 *
 * @param name the constraint's (and its index's) name; null for Tandem's {@code <table>_<column>_key}
 */
@JsonDeserialize(using = UniqueSpec.Reader.class)
public record UniqueSpec(boolean unique, String name) {
    public UniqueSpec {
        Check.optionalName("unique.name", name);
    }

    /** The constraint's name on {@code table}'s {@code column}. */
    public String nameOn(String table, String column) {
        return name != null ? name : Names.unique(table, column);
    }

    static final class Reader extends JsonDeserializer<UniqueSpec> {
        @Override
        public UniqueSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_TRUE || parser.currentToken() == JsonToken.VALUE_FALSE) {
                return new UniqueSpec(parser.getBooleanValue(), null);
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return (UniqueSpec) context.handleUnexpectedToken(Boolean.class, parser);
            }
            JsonNode node = context.readTree(parser);
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!key.equals("name")) {
                    throw UnrecognizedPropertyException.from(parser, UniqueSpec.class, key, List.of("name"));
                }
            }
            if (!node.path("name").isTextual()) {
                throw JsonMappingException.from(parser, node.has("name") ? "'unique.name': wrong type: expected text"
                        : "missing 'unique.name'");
            }
            try {
                return new UniqueSpec(true, node.get("name").textValue());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage(), e);
            }
        }
    }
}
