package dev.tandem.coordinator.internal.operation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tandem.coordinator.migration.Database;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a field that is either one text for every database or a mapping with a text per database
 * ({@code up: {postgresql: "...", mariadb: "..."}}), and keeps the text for the database the file is read for
 * ({@link #DATABASE}, an attribute of the read). Read for no database in particular, it keeps PostgreSQL's text,
 * else MariaDB's; read for a database the mapping has no text for, it fails naming that database.
 */
public class PerDatabase extends JsonDeserializer<String> {
    /** The attribute of a read that names the {@link Database} the file is read for; absent for none in particular. */
    public static final String DATABASE = "tandem.database";

    private static final List<String> KEYS = Arrays.stream(Database.values()).map(Database::key).toList();

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return (String) context.handleUnexpectedToken(String.class, parser);
        }
        Map<Database, String> texts = new EnumMap<>(Database.class);
        for (String next = parser.nextFieldName(); next != null; next = parser.nextFieldName()) {
            String key = next;
            Database database = Arrays.stream(Database.values()).filter(d -> d.key().equals(key)).findFirst()
                    .orElseThrow(() -> UnrecognizedPropertyException.from(parser, String.class, key, List.copyOf(KEYS)));
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw JsonMappingException.from(parser, "'" + key + "': wrong type: expected text");
            }
            check(parser, key, parser.getText());
            texts.put(database, parser.getText());
        }
        if (texts.isEmpty()) {
            throw JsonMappingException.from(parser, "give a text, or a text per database under "
                    + String.join(" or ", KEYS));
        }
        Database wanted = (Database) context.getAttribute(DATABASE);
        if (wanted == null) {
            return texts.getOrDefault(Database.POSTGRESQL, texts.get(Database.MARIADB));
        }
        String text = texts.get(wanted);
        if (text == null) {
            throw JsonMappingException.from(parser, "has no '" + wanted.key() + "' text, so this migration does not run"
                    + " on " + wanted.displayName() + " (it gives " + String.join(", ", texts.keySet().stream()
                    .map(Database::key).toList()) + ")");
        }
        return text;
    }

    /** Checks each database's text as its field requires, so that every text is checked on any read. */
    void check(JsonParser parser, String key, String text) throws JsonMappingException {
    }

    /** A field that holds an expression: every database's text must be one ({@link SqlExpression#parse}). */
    public static final class Expression extends PerDatabase {
        @Override
        void check(JsonParser parser, String key, String text) throws JsonMappingException {
            try {
                SqlExpression.parse(text);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, "'" + key + "' " + e.getMessage());
            }
        }
    }
}
