package dev.tandem.coordinator.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The write of an application on the accounts example (schema/accounts.sql, PostgreSQL): an account, then an order
 * and a payment that reference it, on one connection. Closing it closes the connection.
 */
public final class AccountWrites implements AutoCloseable {
    private final Connection connection;
    private final PreparedStatement account;
    private final PreparedStatement order;
    private final PreparedStatement payment;

    public AccountWrites(Connection connection) throws SQLException {
        this.connection = connection;
        this.account = connection.prepareStatement("INSERT INTO accounts (name) VALUES (?) RETURNING id");
        this.order = connection.prepareStatement("INSERT INTO orders (account_id, note) VALUES (?, ?)");
        this.payment = connection.prepareStatement("INSERT INTO payments (account_id, amount) VALUES (?, 1)");
    }

    /** Inserts an account named {@code name}, an order noted {@code name} and a payment for it. */
    public void write(String name) throws SQLException {
        account.setString(1, name);
        long id;
        try (ResultSet key = account.executeQuery()) {
            key.next();
            id = key.getLong(1);
        }
        order.setLong(1, id);
        order.setString(2, name);
        order.executeUpdate();
        payment.setLong(1, id);
        payment.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
