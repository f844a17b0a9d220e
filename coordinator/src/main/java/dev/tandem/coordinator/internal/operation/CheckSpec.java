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
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * The check constraint a column gets: {@code check: price > 0}, per database as any expression
 * ({@code check: {postgresql: …, mariadb: …}}), or named: {@code check: {name: price_positive, constraint: price > 0}}.
 *
 * @param name the constraint's name; null for Tandem's {@code <table>_<column>_check}
 */
@JsonDeserialize(using = CheckSpec.Reader.class)
public record CheckSpec(String name, String constraint) {
    private static final List<String> KEYS = List.of("constraint", "name");

    public CheckSpec {
        Check.optionalName("check.name", name);
        Check.required("check.constraint", constraint);
        Check.expression("check", constraint);
    }

    public SqlExpression expression() {
        return Check.expression("check", constraint);
    }

    /** The constraint's name on {@code table}'s {@code column}. */
    public String nameOn(String table, String column) {
        return name != null ? name : Names.check(table, column);
    }

    /** Reads the three forms; the constraint's text is read as {@link PerDatabase.Expression} reads it. */
    static final class Reader extends JsonDeserializer<CheckSpec> {
        private static final PerDatabase.Expression EXPRESSION = new PerDatabase.Expression();

        @Override
        public CheckSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return create(parser, null, EXPRESSION.deserialize(parser, context));
            }
            JsonNode node = context.readTree(parser);
            if (!node.has("name") && !node.has("constraint")) {
                return create(parser, null, expression(parser, node, context));
            }
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!KEYS.contains(key)) {
                    throw UnrecognizedPropertyException.from(parser, CheckSpec.class, key, List.copyOf(KEYS));
                }
            }
            JsonNode name = node.get("name");
            if (name != null && !name.isTextual()) {
                throw JsonMappingException.from(parser, "'check.name': wrong type: expected text");
            }
            if (!node.has("constraint")) {
                throw JsonMappingException.from(parser, "missing 'check.constraint'");
            }
            return create(parser, name == null ? null : name.textValue(),
                    expression(parser, node.get("constraint"), context));
        }

        private static String expression(JsonParser parser, JsonNode node, DeserializationContext context)
                throws IOException {
            try (JsonParser value = node.traverse(parser.getCodec())) {
                value.nextToken();
                return EXPRESSION.deserialize(value, context);
            }
        }

        private static CheckSpec create(JsonParser parser, String name, String constraint) throws JsonMappingException {
            try {
                return new CheckSpec(name, constraint);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage(), e);
            }
        }
    }
}
