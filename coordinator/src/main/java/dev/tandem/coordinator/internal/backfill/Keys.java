package dev.tandem.coordinator.internal.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Primary key values as the state tables keep them: a JSON array of the columns' text forms. */
final class Keys {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Keys() {
    }

    /** The key in the first {@code columns} columns of the current row. */
    static String read(ResultSet row, int columns) throws SQLException {
        List<String> key = new ArrayList<>(columns);
        for (int i = 1; i <= columns; i++) {
            key.add(row.getString(i));
        }
        try {
            return JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Binds the key's values from parameter {@code first} on (nothing when null); returns the next parameter. */
    static int bind(PreparedStatement s, int first, String key) throws SQLException {
        if (key == null) {
            return first;
        }
        List<String> values = decode(key);
        for (int i = 0; i < values.size(); i++) {
            s.setString(first + i, values.get(i));
        }
        return first + values.size();
    }

    static List<String> decode(String key) {
        try {
            return JSON.readValue(key, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt backfill checkpoint: " + key, e);
        }
    }
}
