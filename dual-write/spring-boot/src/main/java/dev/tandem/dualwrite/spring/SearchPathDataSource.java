package dev.tandem.dualwrite.spring;

import dev.tandem.dualwrite.SchemaVersion;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A DataSource whose every borrowed connection is first set to one schema version: one statement a borrow (and
 * the catalog, on MariaDB and MySQL).
 */
final class SearchPathDataSource extends DelegatingDataSource {
    private final SchemaVersion version;

    SearchPathDataSource(DataSource target, SchemaVersion version) {
        super(target);
        this.version = version;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pin(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return pin(super.getConnection(username, password));
    }

    private Connection pin(Connection connection) throws SQLException {
        try {
            version.applyTo(connection);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
