package dev.tandem.cli.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the data must look like once the migration is complete: every product's price in cents (its
 * original price, or the last price either version wrote) and the display names the new version wrote.
 * The two versions write disjoint rows, so the last write recorded for a row is the one the table keeps.
 */
final class Expected {
    private final Map<Long, Long> priceCents = new ConcurrentHashMap<>();
    private final Map<Long, String> displayNames = new ConcurrentHashMap<>();

    /** Starts from the products as they are before the migration, prices still in dollars. */
    static Expected fromShop(Connection connection) throws SQLException {
        Expected expected = new Expected();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, price FROM products")) {
            while (rows.next()) {
                expected.price(rows.getLong(1), rows.getBigDecimal(2));
            }
        }
        return expected;
    }

    /** A price in dollars, as the old version writes it. */
    void price(long product, BigDecimal dollars) {
        priceCents.put(product, cents(dollars));
    }

    void priceCents(long product, long cents) {
        priceCents.put(product, cents);
    }

    void displayName(long customer, String name) {
        displayNames.put(customer, name);
    }

    /** The price in cents recorded for a product so far; null when none is recorded yet. */
    Long priceCents(long product) {
        return priceCents.get(product);
    }

    Map<Long, Long> priceCents() {
        return Map.copyOf(priceCents);
    }

    Map<Long, String> displayNames() {
        return Map.copyOf(displayNames);
    }

    static long cents(BigDecimal dollars) {
        return dollars.movePointRight(2).longValueExact();
    }
}
