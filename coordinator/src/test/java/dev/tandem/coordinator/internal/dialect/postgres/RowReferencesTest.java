package dev.tandem.coordinator.internal.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.RowReferences;
import dev.tandem.coordinator.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How {@code up} and {@code down} refer to the row being written (docs/migrations.md): by bare column names, and by
 * the table's name, also inside subqueries over other tables; and expand's probe evaluates them as the triggers do.
 */
class RowReferencesTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    /**
     * Serial and identity defaults are applied before BEFORE triggers run, so up (old-version inserts) and down
     * (new-version inserts, here under the table's new name) see the new row's keys.
     */
    @Test
    void upAndDownSeeTheKeysOfTheRowBeingInserted() {
        db.execute("CREATE TABLE accounts (id serial PRIMARY KEY, number bigint GENERATED ALWAYS AS IDENTITY"
                        + " (START WITH 500), name varchar(40))",
                "INSERT INTO accounts (name) VALUES ('first')");
        Migration label = Examples.inline("label_accounts",
                "add_column: {table: accounts, column: {name: label, type: text}, up: \"'old-' || id || '-' ||"
                        + " accounts.number\"}",
                "rename_table: {from: accounts, to: members}",
                "alter_column: {table: members, column: name, type: varchar(60), up: name, down: \"members.name ||"
                        + " '#' || members.id\"}");
        Tandem tandem = db.tandem();
        tandem.expand(label);
        String v = tandem.status().get(0).versionSchema();

        db.execute("INSERT INTO accounts (name) VALUES ('second'), ('third')");
        db.executeIn(v, "INSERT INTO members (name, label) VALUES ('fourth', 'new')");
        tandem.backfill(label.name(), BackfillListener.NONE);

        assertThat(db.rows("SELECT label || ' ' || name FROM accounts ORDER BY id")).containsExactly(
                "old-1-500 first", "old-2-501 second", "old-3-502 third", "new fourth#4");
    }

    @Test
    void qualifiedNamesAndCorrelatedSubqueriesReadTheRowBeingWritten() {
        RowReferences.createTables(db, "serial");
        RowReferences.qualifiedNamesAndCorrelatedSubqueriesReadTheRowBeingWritten(db, db.tandem());
    }

    /** As in SQL, and as the backfill reads it: MariaDB refuses this one (MariaDbRowReferencesTest). */
    @Test
    void aBareNameOnlyTheRowHasMeansTheRowInsideASubquery() {
        RowReferences.createTables(db, "serial");
        Migration migration = Examples.inline("order_counts", "add_column: {table: users, column: {name: orders,"
                + " type: bigint}, up: \"(SELECT count(*) FROM orders o WHERE o.user_code = code)\"}");
        Tandem tandem = db.tandem();
        tandem.expand(migration);

        db.execute("INSERT INTO users (code, name) VALUES ('b', 'bob')");
        tandem.backfill(migration.name(), BackfillListener.NONE);

        assertThat(db.rows("SELECT code, orders FROM users ORDER BY id")).containsExactly("a|2", "b|1");
    }

    /**
     * Up's value is assigned to the column as the trigger assigns it: the old probe (a SELECT of the expression)
     * passed this one, and every old-version write would have failed.
     */
    @Test
    void anExpressionTheTriggerCannotStoreFailsExpandAndChangesNothing() {
        db.execute("CREATE TABLE users (id serial PRIMARY KEY, name text)", "INSERT INTO users (name) VALUES ('ann')");
        List<String> before = Catalog.dump(db);
        Tandem tandem = db.tandem();

        assertThatThrownBy(() -> tandem.expand(Examples.inline("score_users", "add_column: {table: users,"
                + " column: {name: score, type: integer}, up: \"'n/a'\"}")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageStartingWith("score_users.yaml: operation 1 (add_column): up 'n/a': ")
                .hasMessageContaining("invalid input syntax for type integer: \"n/a\"");
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
        assertThat(tandem.status()).isEmpty();
    }

    /** On an empty table the probe evaluates the expression over a row of NULLs, so its names are still checked. */
    @Test
    void aWrongNameFailsExpandOnAnEmptyTable() {
        db.execute("CREATE TABLE users (id serial PRIMARY KEY, name text)",
                "CREATE TABLE orders (id serial PRIMARY KEY, user_id int)");
        List<String> before = Catalog.dump(db);

        assertThatThrownBy(() -> db.tandem().expand(Examples.inline("count_orders", "add_column: {table: users,"
                + " column: {name: orders, type: bigint}, up: \"(SELECT count(*) FROM orders o WHERE o.user_id ="
                + " users.no_such_column)\"}")))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("up (SELECT count(*) FROM orders o WHERE o.user_id = users.no_such_column): ")
                .hasMessageContaining("missing FROM-clause entry for table \"users\"");
        assertThat(Catalog.dump(db)).containsExactlyElementsOf(before);
    }
}
