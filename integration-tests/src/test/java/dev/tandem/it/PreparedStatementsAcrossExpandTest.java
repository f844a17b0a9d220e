package dev.tandem.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An old-version instance holds server-side prepared statements (pgjdbc prepares on the server from the fifth
 * execution) over the tables expand and rollback alter. A {@code SELECT *} among them must keep working: a
 * protocol-level prepared statement is re-planned with the new row type, unlike an SQL {@code PREPARE}, which
 * fails with "cached plan must not change result type".
 */
class PreparedStatementsAcrossExpandTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @Test
    void oldVersionServerPreparedStatementsSurviveExpandAndRollback() throws Exception {
        db.execute(Examples.shop());
        try (Connection old = db.connect();
             PreparedStatement select = old.prepareStatement("SELECT * FROM customers WHERE id = ?");
             PreparedStatement update = old.prepareStatement("UPDATE customers SET phone = ? WHERE id = ?")) {
            for (int i = 0; i < 10; i++) {
                assertThat(columnsOfRow(select, 1 + i)).isEqualTo(6);
                update.setString(1, "555-" + i);
                update.setLong(2, 1 + i);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }

            db.tandem().expand(Examples.migration("add_column.yaml"));
            assertThat(columnsOfRow(select, 1)).isEqualTo(7);
            update.setString(1, "555-after-expand");
            update.setLong(2, 1);
            assertThat(update.executeUpdate()).isEqualTo(1);

            db.tandem().rollback("add_display_name");
            assertThat(columnsOfRow(select, 2)).isEqualTo(6);
        }
    }

    private static int columnsOfRow(PreparedStatement select, long id) throws SQLException {
        select.setLong(1, id);
        try (ResultSet row = select.executeQuery()) {
            assertThat(row.next()).isTrue();
            return row.getMetaData().getColumnCount();
        }
    }
}
