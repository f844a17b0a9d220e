package dev.tandem.cli.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks the shop's data once the migration is complete; each problem found is one line. */
final class FinalCheck {
    private static final int MAX_LISTED = 5;

    private final Connection connection;
    private final List<String> problems = new ArrayList<>();

    private FinalCheck(Connection connection) {
        this.connection = connection;
    }

    static List<String> problems(Connection connection, Expected expected) throws SQLException {
        FinalCheck check = new FinalCheck(connection);
        check.prices(expected.priceCents());
        check.displayNames(expected.displayNames());
        check.nothingLeftOver();
        return check.problems;
    }

    private void prices(Map<Long, Long> expected) throws SQLException {
        Map<Long, Long> actual = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, price_cents FROM products")) {
            while (rows.next()) {
                actual.put(rows.getLong(1), rows.getObject(2, Long.class));
            }
        }
        List<String> wrong = new ArrayList<>();
        new TreeMap<>(expected).forEach((id, cents) -> {
            if (!cents.equals(actual.get(id))) {
                wrong.add("product " + id + " has price_cents " + actual.get(id) + ", expected " + cents);
            }
        });
        actual.keySet().stream().filter(id -> !expected.containsKey(id)).sorted()
                .forEach(id -> wrong.add("product " + id + " was written by neither version"));
        report(wrong);
    }

    private void displayNames(Map<Long, String> writtenByNewVersion) throws SQLException {
        List<String> wrong = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, display_name, first_name || ' ' || last_name FROM customers ORDER BY id")) {
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    String actual = rows.getString(2);
                    String expected = writtenByNewVersion.getOrDefault(id, rows.getString(3));
                    if (!expected.equals(actual)) {
                        wrong.add("customer " + id + " has display_name " + quoted(actual) + ", expected "
                                + quoted(expected));
                    }
                }
            }
        }
        report(wrong);
    }

    /** Shadow columns, NOT NULL checks, sync triggers and their functions are all named _tandem... */
    private void nothingLeftOver() throws SQLException {
        List<String> left = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT 'column ' || a.attrelid::regclass || '.' || a.attname FROM pg_attribute a"
                             + " WHERE a.attname LIKE '\\_tandem%' AND a.attnum > 0 AND NOT a.attisdropped"
                             + " UNION ALL SELECT 'constraint ' || conname FROM pg_constraint"
                             + " WHERE conname LIKE '\\_tandem%'"
                             + " UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgname LIKE '\\_tandem%'"
                             + " UNION ALL SELECT 'function ' || oid::regprocedure FROM pg_proc"
                             + " WHERE proname LIKE '\\_tandem%'"
                             + " UNION ALL SELECT 'relation ' || oid::regclass FROM pg_class"
                             + " WHERE relname LIKE '\\_tandem%'")) {
            while (rows.next()) {
                left.add(rows.getString(1) + " is left over");
            }
        }
        report(left);
    }

    private void report(List<String> found) {
        problems.addAll(found.subList(0, Math.min(found.size(), MAX_LISTED)));
        if (found.size() > MAX_LISTED) {
            problems.add("... and " + (found.size() - MAX_LISTED) + " more like these");
        }
    }

    private static String quoted(String value) {
        return value == null ? "NULL" : "'" + value + "'";
    }
}
