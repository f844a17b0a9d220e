package dev.tandem.coordinator.internal.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import dev.tandem.coordinator.testing.BothDatabases;
import dev.tandem.coordinator.testing.Catalog;
import dev.tandem.coordinator.testing.Cycle;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.OnDatabase;
import dev.tandem.coordinator.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.RegisterExtension;

@BothDatabases
class CreateTableTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TestTemplate
    void createsTableWithItsConstraintsForTheNewVersion(OnDatabase on) throws Exception {
        on.postgres(pg -> {
            Cycle.onShop(pg).migration("create_table.yaml").whileExpanded((db, v) -> {
                String newVersion = v + ", public";
                // the old version adds a product, the new version reviews it through its view
                db.execute("INSERT INTO products (id, sku, title, price) VALUES (1000, 'SKU-NEW', 'New', 1)");
                db.execute("SET search_path TO " + newVersion,
                        "INSERT INTO product_reviews (product_id, customer_id, rating, body, external_ref) "
                                + "VALUES (1000, 1, 5, 'great', 'r-1')");
                assertThat(db.rows(newVersion, "SELECT p.title, r.rating, r.created_at IS NOT NULL FROM product_reviews r "
                        + "JOIN products p ON p.id = r.product_id")).containsExactly("New|5|t");
                assertThat(db.value("SELECT col_description('public.product_reviews'::regclass, 5)"))
                        .isEqualTo("Free text, may be empty");
                // every constraint holds from the start
                assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                        "INSERT INTO product_reviews (product_id, rating) VALUES (1000, 6)"))
                        .hasMessageContaining("product_reviews_rating_check");
                assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                        "INSERT INTO product_reviews (product_id, rating) VALUES (999999, 1)"))
                        .hasMessageContaining("product_reviews_product_id_fkey");
                assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                        "INSERT INTO product_reviews (product_id, rating, external_ref) VALUES (1000, 1, 'r-1')"))
                        .hasMessageContaining("product_reviews_external_ref_key");
                assertThatThrownBy(() -> db.execute("SET search_path TO " + newVersion,
                        "INSERT INTO product_reviews (product_id) VALUES (1000)"))
                        .hasMessageContaining("rating");
                // the old version's delete cascades to the new version's rows
                db.execute("DELETE FROM products WHERE id = 1000");
                assertThat(db.rows(newVersion, "SELECT count(*) FROM product_reviews")).containsExactly("0");
            }).afterContract((db, v) -> {
                assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.product_reviews'::regclass "
                        + "AND convalidated")).isEqualTo("5");
                assertThat(db.value("SELECT obj_description('public.product_reviews'::regclass, 'pg_class')"))
                        .isEqualTo("One customer's opinion of one product");
                db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO product_reviews (product_id, customer_id, rating) VALUES (2, 2, 4)");
                assertThat(db.value("SELECT rating FROM product_reviews WHERE product_id = 2")).isEqualTo("4");
                assertThat(db.rows(v + ", public", "SELECT rating FROM product_reviews")).containsExactly("4");
            }).run();
        });
        on.mariaDb(maria -> {
            Cycle.onMariaDbShop(maria).inline("create_reviews", "create_table: {table: reviews, columns: ["
                            + "{name: id, type: bigint auto_increment, primary_key: true},"
                            + "{name: customer_id, type: bigint, nullable: false,"
                            + " references: {table: customers, column: id, on_delete: cascade}},"
                            + "{name: rating, type: int, nullable: false, check: rating BETWEEN 1 AND 5},"
                            + "{name: body, type: text}]}")
                    .whileExpanded((db, v) -> {
                        db.executeIn(v, "INSERT INTO reviews (customer_id, rating, body) VALUES (1, 5, 'fine')");
                        assertThat(db.value(v, "SELECT body FROM reviews WHERE customer_id = 1")).isEqualTo("fine");
                        org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.executeIn(v,
                                "INSERT INTO reviews (customer_id, rating) VALUES (1, 9)")).hasMessageContaining("reviews_rating_check");
                        org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.executeIn(v,
                                "INSERT INTO reviews (customer_id, rating) VALUES (99999, 1)")).hasMessageContaining("foreign key");
                    })
                    .afterContract((db, v) -> {
                        assertThat(db.value("SELECT COUNT(*) FROM reviews")).isEqualTo("1");
                        assertThat(db.rows("SELECT CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE"
                                + " CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'reviews' ORDER BY 1"))
                                .containsExactly("CHECK", "FOREIGN KEY", "PRIMARY KEY");
                    })
                    .run();
        });
        // the example itself is refused for its PostgreSQL type, before anything changes
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration("create_table.yaml").refused(
                "create_table.yaml: operation 1 (create_table)", "column 'created_at' has type timestamptz, which is"
                        + " PostgreSQL's and not MariaDB's: use DATETIME(6) or TIMESTAMP(6), in UTC"));
    }

    /**
     * MariaDB refuses a foreign key whose column type differs from the key's (bigint to int) only when expand adds it:
     * a failure of the migration's input, so expand undoes the table it had created and exits as for any bad input.
     */
    @TestTemplate
    void aForeignKeyMariaDbCannotHoldUndoesExpand(OnDatabase on) throws Exception {
        on.postgres(pg -> { });
        on.mariaDb(maria -> {
            maria.execute("CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY)");
            List<String> before = Catalog.dump(maria);
            Tandem tandem = maria.tandem();

            assertThatThrownBy(() -> tandem.expand(Examples.inline("gift_cards", "create_table: {table: gift_cards,"
                    + " columns: [{name: id, type: bigint, primary_key: true}, {name: customer_id, type: bigint,"
                    + " references: {table: customers, column: id}}]}")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operation 1 (create_table)").hasMessageContaining("gift_cards_customer_id_fkey");

            assertThat(Catalog.dump(maria)).containsExactlyElementsOf(before);
            assertThat(tandem.status()).isEmpty();
        });
    }

    /**
     * A new table's foreign key to a table the same migration copies (MariaDB) would follow the original when contract
     * sets it aside, and then keep contract from dropping it; refused before anything changes.
     */
    @TestTemplate
    void refusesAForeignKeyToATableTheMigrationCopies(OnDatabase on) throws Exception {
        on.postgres(pg -> { });
        on.mariaDb(maria -> Cycle.on(maria).setup("CREATE TABLE products (id INT PRIMARY KEY,"
                        + " sku VARCHAR(20) NOT NULL UNIQUE)")
                .inline("longer_skus", "alter_column: {table: products, column: sku, type: varchar(40), up: sku,"
                                + " down: \"LEFT(sku, 20)\"}",
                        "create_table: {table: labels, columns: [{name: id, type: int, primary_key: true},"
                                + " {name: sku, type: varchar(40), references: {table: products, column: sku}}]}")
                .refused("operation 2 (create_table)", "references table 'products', which this migration copies"));
    }

    @TestTemplate
    void createsATableThatReferencesItself(OnDatabase on) throws Exception {
        Migration migration = parse("categories.yaml", """
                name: categories
                operations:
                  - create_table:
                      table: categories
                      columns:
                        - name: id
                          type: bigint
                          primary_key: true
                        - name: parent_id
                          type: bigint
                          references:
                            table: categories
                            column: id
                            on_delete: cascade
                """);
        on.postgres(pg -> {
            Cycle.onShop(pg).migration(migration).whileExpanded((db, v) -> {
                db.execute("SET search_path TO " + v + ", public",
                        "INSERT INTO categories VALUES (1, NULL), (2, 1)");
                db.execute("DELETE FROM categories WHERE id = 1");
                assertThat(db.rows(v + ", public", "SELECT count(*) FROM categories")).containsExactly("0");
            }).afterContract((db, v) -> assertThat(db.value("SELECT confrelid::regclass::text FROM pg_constraint "
                    + "WHERE conname = 'categories_parent_id_fkey'")).isEqualTo("categories")).run();
        });
        // the cycle's own checks: rollback restores the catalog, contract leaves nothing of Tandem's behind
        on.mariaDb(maria -> Cycle.onMariaDbExampleShop(maria).migration(migration).run());
    }

    @Test
    void refusesANameAnIndexHas() {
        db.execute(Examples.shop());
        assertThatThrownBy(() -> db.tandem().expand(parse("clash.yaml", """
                name: clash
                operations:
                  - create_table:
                      table: orders_status_idx
                      columns:
                        - name: id
                          type: bigint
                """))).isInstanceOf(InvalidMigrationException.class)
                .hasMessage("clash.yaml: operation 1 (create_table): an index named 'orders_status_idx' already exists");
    }

    private static Migration parse(String file, String yaml) {
        return new MigrationParser().parse(file, yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** MariaDB's enum and set types pass the file's checks (MariaDbTableCopyTest); PostgreSQL refuses them by name. */
    @Test
    void mariaDbsEnumTypeIsRefusedOnPostgresqlBeforeAnythingChanges() {
        Cycle.onShop(db).migration(Examples.inline("order_state", "add_column: {table: orders, column: {name: state,"
                + " type: \"enum('new', 'it''s paid')\"}}")).refused("order_state.yaml: operation 1 (add_column)",
                "type enum('new', 'it''s paid'), which is MariaDB's and not PostgreSQL's: create an enum type");
    }
}
