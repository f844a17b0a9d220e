package dev.tandem.coordinator.internal.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.coordinator.DatabaseException;
import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.internal.dialect.postgres.PostgresStatementStats;
import dev.tandem.coordinator.internal.sql.Secrets;
import dev.tandem.coordinator.internal.sql.SqlScript;
import dev.tandem.coordinator.internal.sql.SqlStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Statements one application version ran, as pg_stat_statements recorded them: normalised, with {@code $1…$n}
 * in place of constants. Read from an export (CSV with a header, or a JSON array of objects) or from a live
 * server; each has at least {@code query}, and {@code queryid} names it in findings.
 */
public record Capture(String source, List<Entry> entries) {
    /** Only these can be prepared; utility statements (SET, BEGIN, DDL, ...) are not the application's queries. */
    private static final Set<String> PREPARABLE = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES",
            "TABLE", "MERGE");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param queryId pg_stat_statements' queryid, or null when the export has none
     * @param line    the line of {@code source} the entry starts on, 0 for a live capture or a JSON export
     */
    public record Entry(String queryId, int line, String query) {
        String label() {
            return queryId == null ? "captured statement" : "queryid " + queryId;
        }
    }

    public Capture {
        entries = List.copyOf(entries);
    }

    /** An export: JSON when {@code source} ends in .json, else CSV with a header row. */
    public static Capture read(String source, String text) {
        return source.toLowerCase(Locale.ROOT).endsWith(".json") ? json(source, text) : csv(source, text);
    }

    /**
     * pg_stat_statements of a live server, read with {@link PostgresStatementStats#QUERY}.
     *
     * @param source how findings name it; must not hold a password
     */
    public static Capture live(String source, DataSource server) {
        try (Connection c = server.getConnection()) {
            return new Capture(source, PostgresStatementStats.read(c).stream()
                    .map(recorded -> new Entry(recorded.queryId(), 0, recorded.query())).toList());
        } catch (SQLException e) {
            // the source (a URL) is left to the caller: masking swallows the text that follows a password
            throw new DatabaseException("cannot read pg_stat_statements (it needs CREATE EXTENSION "
                    + "pg_stat_statements and shared_preload_libraries = 'pg_stat_statements'): "
                    + Secrets.mask(e.getMessage()), e);
        }
    }

    static Capture json(String source, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidMigrationException(source + ": not JSON: " + e.getOriginalMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        if (root == null || root.isNull()) {
            return new Capture(source, entries); // json_agg over no rows
        }
        if (!root.isArray()) {
            throw new InvalidMigrationException(source + ": expected a JSON array of {queryid, calls, query} objects");
        }
        for (int i = 0; i < root.size(); i++) {
            JsonNode query = root.get(i).path("query");
            if (!query.isTextual()) {
                throw new InvalidMigrationException(source + ": element " + (i + 1) + " has no \"query\" text");
            }
            JsonNode id = root.get(i).path("queryid");
            entries.add(new Entry(id.isMissingNode() || id.isNull() ? null : id.asText(), 0, query.asText()));
        }
        return new Capture(source, entries);
    }

    static Capture csv(String source, String text) {
        List<List<String>> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        CsvReader.read(text, (line, row) -> {
            lines.add(line);
            rows.add(row);
        });
        if (rows.isEmpty()) {
            throw new InvalidMigrationException(source + ": empty; expected a header row with a 'query' column");
        }
        List<String> header = rows.get(0).stream().map(name -> name.trim().toLowerCase(Locale.ROOT)).toList();
        int query = header.indexOf("query");
        int id = header.indexOf("queryid");
        if (query < 0) {
            throw new InvalidMigrationException(source + ":1: no 'query' column in the header " + header
                    + " (export with CSV HEADER)");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() != header.size()) {
                throw new InvalidMigrationException(source + ":" + lines.get(i) + ": " + row.size()
                        + " fields, the header has " + header.size());
            }
            entries.add(new Entry(id < 0 || row.get(id).isEmpty() ? null : row.get(id), lines.get(i), row.get(query)));
        }
        return new Capture(source, entries);
    }

    /**
     * The entries worth preparing, each query once: no utility statements, nothing that reads Tandem's own
     * state (the coordinator's and the library's statements), nor pg_stat_statements and its functions.
     */
    List<Entry> checkable(String stateSchema) {
        Pattern own = Pattern.compile("(?i)(\\b" + Pattern.quote(stateSchema) + "|\"" + Pattern.quote(stateSchema)
                + "\")\\s*\\.|\\bpg_stat_statements");
        Map<String, Entry> unique = new LinkedHashMap<>();
        for (Entry entry : entries) {
            String query = entry.query().strip();
            List<SqlStatement> statements = SqlScript.split(query, 1);
            if (statements.size() != 1 || !PREPARABLE.contains(statements.get(0).word(0))
                    || own.matcher(query).find()) {
                continue;
            }
            unique.putIfAbsent(statements.get(0).text().replaceAll("\\s+", " "),
                    new Entry(entry.queryId(), entry.line(), statements.get(0).text()));
        }
        return List.copyOf(unique.values());
    }
}
