package dev.tandem.coordinator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.migration.Migration;

/**
 * The scenario every database runs alike: {@code up} and {@code down} name the row being written with the table's
 * name, also inside subqueries over another table, where a bare name means that table's column as in SQL
 * (docs/migrations.md, "The row being written"). Correlated on a key the database fills from AUTO_INCREMENT they
 * would be refused on MariaDB, so the tables are correlated on a code.
 */
public final class RowReferences {
    private RowReferences() {
    }

    /**
     * Users with a code, and orders that refer to them by it.
     *
     * @param key the type of an automatically numbered primary key on this database
     */
    public static void createTables(StatementsAsVersion db, String key) {
        db.execute("CREATE TABLE users (id " + key + " PRIMARY KEY, code varchar(10), name varchar(40))",
                "CREATE TABLE orders (id " + key + " PRIMARY KEY, user_code varchar(10), total int)",
                "INSERT INTO users (code, name) VALUES ('a', 'ann')",
                "INSERT INTO orders (user_code, total) VALUES ('a', 10), ('a', 20), ('b', 7)");
    }

    /** Over the tables of {@link #createTables}. */
    public static void qualifiedNamesAndCorrelatedSubqueriesReadTheRowBeingWritten(StatementsAsVersion db,
                                                                                   Tandem tandem) {
        Migration migration = Examples.inline("user_totals",
                // the bare id inside the subquery is orders.id, as in SQL
                "add_column: {table: users, column: {name: spent, type: int}, up: \"(SELECT COALESCE(SUM(o.total), 0)"
                        + " FROM orders o WHERE o.user_code = users.code AND o.id > 0 AND id > 0)\"}",
                "alter_column: {table: users, column: name, type: varchar(60), up: users.name, down: \"CASE WHEN"
                        + " EXISTS (SELECT 1 FROM orders o WHERE o.user_code = users.code) THEN CONCAT(users.name, '*')"
                        + " ELSE name END\", strategy: in_place}");
        tandem.expand(migration);
        String v = tandem.status().get(0).versionSchema();

        db.execute("INSERT INTO users (code, name) VALUES ('b', 'bob')");
        db.executeIn(v, "INSERT INTO users (code, name, spent) VALUES ('c', 'cy', 0)",
                "UPDATE users SET name = 'bo' WHERE code = 'b'");
        tandem.backfill(migration.name(), BackfillListener.NONE);

        assertThat(db.rows(v, "SELECT code, name, spent FROM users ORDER BY id"))
                .containsExactly("a|ann|30", "b|bo|7", "c|cy|0");
        assertThat(db.rows("SELECT code, name FROM users ORDER BY id")).containsExactly("a|ann", "b|bo*", "c|cy");
    }
}
