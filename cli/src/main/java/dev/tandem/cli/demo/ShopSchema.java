package dev.tandem.cli.demo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The example shop schema with its rows ({@code schema/shop.sql} on the class path). */
public final class ShopSchema {
    private static final String RESOURCE = "schema/shop.sql";

    private ShopSchema() {
    }

    /** Creates the shop's tables and rows, then analyzes them so row estimates are right from the start. */
    public static void load(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements()) {
                statement.execute(sql);
            }
            statement.execute("ANALYZE");
        }
    }

    public static List<String> statements() {
        return split(new String(ClassPathResource.bytes(RESOURCE), StandardCharsets.UTF_8));
    }

    /**
     * Splits a script written the way shop.sql is: statements end with ';' at the end of a line, and lines
     * starting with '--' are comments.
     */
    static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.lines().toList()) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            String trimmed = line.stripTrailing();
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                add(statements, current);
            } else {
                current.append(line).append('\n');
            }
        }
        add(statements, current);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }
}
