package dev.tandem.coordinator.internal.files;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How Tandem reads its files (migrations, fleets, verify-data specs): strictly, and with messages that say where
 * (keys and list positions), the problem, and the line.
 */
public final class StrictMapper {
    private StrictMapper() {
    }

    /**
     * Makes {@code mapper} strict: snake_case keys, no unknown or duplicate keys, no coercion between strings,
     * numbers and booleans.
     */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Collection)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }

    /**
     * What is wrong in a file a strict mapper read (see {@link #configure}): where (keys and list positions), the
     * problem, and the line.
     */
    public static String describe(JsonProcessingException e, ObjectMapper mapper, byte[] bytes) {
        String problem = describe(e, List.of(), null);
        if (e instanceof UnrecognizedPropertyException unknown) {
            // a record reads all its keys before it looks at them, so the parser is past the unknown one: find it
            int line = keyLine(mapper, bytes, unknown.getPath());
            if (line > 0) {
                problem = problem.replaceFirst(" \\(line \\d+\\)$", "") + " (line " + line + ")";
            }
        }
        return problem;
    }

    /** The line of the key at {@code path} in {@code bytes}, or 0 when it is not found. */
    private static int keyLine(ObjectMapper mapper, byte[] bytes, List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            pointer.append('/').append(ref.getFieldName() != null
                    ? ref.getFieldName().replace("~", "~0").replace("/", "~1") : String.valueOf(ref.getIndex()));
        }
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME
                        && parser.getParsingContext().pathAsPointer().toString().contentEquals(pointer)) {
                    return parser.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /**
     * What is wrong in a migration file.
     *
     * @param kinds the file's operation names, read leniently, to name the operation that is wrong
     * @param yaml  the file's text when it is YAML, to find the line of a top-level key; null for JSON
     */
    public static String describe(JsonProcessingException e, List<String> kinds, String yaml) {
        String syntax = YamlSyntax.describe(e);
        if (syntax != null) {
            return syntax;
        }
        List<JsonMappingException.Reference> path = e instanceof JsonMappingException mapping ? mapping.getPath()
                : List.of();
        boolean missing = e instanceof MismatchedInputException && !path.isEmpty()
                && String.valueOf(e.getOriginalMessage()).startsWith("Missing required creator property");
        if (missing) {
            // the key is not there, so neither is a line of it: Jackson's is where the enclosing mapping ends
            String parent = location(path.subList(0, path.size() - 1), kinds);
            return (parent.isEmpty() ? "" : parent + ": ") + "missing '" + path.get(path.size() - 1).getFieldName()
                    + "'";
        }
        String where = location(path, e instanceof InvalidTypeIdException ? List.of() : kinds);
        String problem;
        if (e instanceof UnrecognizedPropertyException unknown) {
            problem = "unknown key '" + unknown.getPropertyName() + "'"
                    + (unknown.getKnownPropertyIds() == null ? "" : "; expected one of "
                    + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", ")));
        } else if (e instanceof InvalidTypeIdException typeId) {
            problem = "unknown operation '" + typeId.getTypeId() + "'; expected one of "
                    + typeNames(typeId.getBaseType().getRawClass());
        } else if (e.getCause() instanceof IllegalArgumentException invalid) {
            problem = invalid.getMessage();
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            problem = "wrong type: expected " + expected(mismatch.getTargetType());
        } else {
            problem = e.getOriginalMessage();
        }
        int lineNr = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        if (where.isEmpty() && e.getCause() instanceof IllegalArgumentException && yaml != null) {
            // the file's own checks run once the whole file is read: Jackson's line is then the last one
            lineNr = topLevelLine(yaml, problem.startsWith("'operations'") ? "operations"
                    : problem.startsWith("'after'") ? "after" : "name");
        }
        return (where.isEmpty() ? "" : where + ": ") + problem + (lineNr < 0 ? "" : " (line " + lineNr + ")");
    }

    /** The line of a top-level key of a YAML file, or -1. */
    private static int topLevelLine(String yaml, String key) {
        List<String> lines = yaml.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(Pattern.quote(key) + "\\s*:.*")) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The names a polymorphic type's subtypes take, sorted: what the file may write instead of an unknown one. */
    private static String typeNames(Class<?> type) {
        JsonSubTypes subTypes = type.getAnnotation(JsonSubTypes.class);
        return subTypes == null ? "" : Arrays.stream(subTypes.value()).map(JsonSubTypes.Type::name).sorted()
                .collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "text";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping of keys";
    }

    private static String location(List<JsonMappingException.Reference> path, List<String> kinds) {
        StringBuilder out = new StringBuilder();
        boolean inField = false;
        for (int i = 0; i < path.size(); i++) {
            JsonMappingException.Reference ref = path.get(i);
            if (i == 0 && "operations".equals(ref.getFieldName()) && path.size() > 1 && path.get(1).getIndex() >= 0) {
                int index = path.get(1).getIndex();
                out.append("operation ").append(index + 1);
                if (index < kinds.size()) {
                    out.append(" (").append(kinds.get(index)).append(")");
                }
                i++;
            } else if (ref.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : inField ? "." : " ").append(ref.getFieldName());
                inField = true;
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
