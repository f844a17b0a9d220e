package dev.tandem.cli.demo;

import java.math.BigDecimal;
import java.sql.SQLException;

/**
 * The shop as it was before the migration: prices in dollars in {@code products.price}, customers without
 * a display name. It works on the public schema and never learns that the migration happened.
 */
final class OldVersion implements App.Round {
    private final Expected expected;
    private long lastCustomer;

    OldVersion(Expected expected) {
        this.expected = expected;
    }

    @Override
    public void run(App app, int round) throws SQLException {
        BigDecimal price = BigDecimal.valueOf(100 + round * 137L % 9900, 2);
        long product = app.insert("INSERT INTO products (sku, title, price) VALUES (?, ?, ?) RETURNING id",
                "OLD-" + round, "Old app product " + round, price);
        expected.price(product, price);

        // the old version owns the odd ids among the shop's first products
        long seeded = 1 + 2 * (round % 25);
        BigDecimal newPrice = price.add(BigDecimal.valueOf(round, 2));
        app.update("UPDATE products SET price = ? WHERE id = ?", newPrice, seeded);
        expected.price(seeded, newPrice);
        app.expect("price of product " + seeded, newPrice,
                app.value(BigDecimal.class, "SELECT price FROM products WHERE id = ?", seeded));

        // the newest product the new version added, priced in cents, reads in dollars here
        Long added = app.value(Long.class, "SELECT max(id) FROM products WHERE sku LIKE 'NEW-%'");
        Long addedCents = added == null ? null : expected.priceCents(added);
        if (addedCents != null) {
            app.expect("price of product " + added + " added by the new app", BigDecimal.valueOf(addedCents, 2),
                    app.value(BigDecimal.class, "SELECT price FROM products WHERE id = ?", added));
        }

        if (lastCustomer != 0) {
            // the new version's display name follows the renamed customer, by the sync trigger
            app.update("UPDATE customers SET first_name = ? WHERE id = ?", "Oleg", lastCustomer);
        }
        lastCustomer = app.insert("INSERT INTO customers (email, first_name, last_name) VALUES (?, ?, ?) "
                + "RETURNING id", "old-app-" + round + "@example.com", "Olga", "Old" + round);
        app.expect("first name of customer " + lastCustomer, "Olga",
                app.value(String.class, "SELECT first_name FROM customers WHERE id = ?", lastCustomer));

        if (round % 8 == 1) {
            app.say("round " + round + ": product " + product + " at $" + price + ", product " + seeded + " now $"
                    + newPrice + ", customer " + lastCustomer);
        }
    }
}
