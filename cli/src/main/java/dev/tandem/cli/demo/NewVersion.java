package dev.tandem.cli.demo;

import java.sql.SQLException;

/**
 * The shop after the migration: prices in whole cents in {@code products.price_cents}, customers with a
 * display name. It works through the migration's version schema, first on its search_path, from expand on.
 */
final class NewVersion implements App.Round {
    private final Expected expected;

    NewVersion(Expected expected) {
        this.expected = expected;
    }

    @Override
    public void run(App app, int round) throws SQLException {
        long cents = 100 + round * 251L % 9900;
        long product = app.insert("INSERT INTO products (sku, title, price_cents) VALUES (?, ?, ?) RETURNING id",
                "NEW-" + round, "New app product " + round, cents);
        expected.priceCents(product, cents);

        // the new version owns the even ids among the shop's first products
        long seeded = 2 + 2 * (round % 25);
        long newCents = cents + round;
        app.update("UPDATE products SET price_cents = ? WHERE id = ?", newCents, seeded);
        expected.priceCents(seeded, newCents);
        app.expect("price_cents of product " + seeded, newCents,
                app.value(Long.class, "SELECT price_cents FROM products WHERE id = ?", seeded));

        String displayName = "Nina N. (" + round + ")";
        long customer = app.insert("INSERT INTO customers (email, first_name, last_name, display_name) "
                + "VALUES (?, ?, ?, ?) RETURNING id", "new-app-" + round + "@example.com", "Nina", "New" + round,
                displayName);
        expected.displayName(customer, displayName);
        app.expect("display_name of customer " + customer, displayName,
                app.value(String.class, "SELECT display_name FROM customers WHERE id = ?", customer));

        if (round % 8 == 1) {
            app.say("round " + round + ": product " + product + " at " + cents + " cents, product " + seeded
                    + " now " + newCents + " cents, customer " + customer + " '" + displayName + "'");
        }
    }
}
