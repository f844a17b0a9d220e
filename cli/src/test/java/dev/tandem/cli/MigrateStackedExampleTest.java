package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.testing.StatementsAsVersion;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stacked-versions walk-through of docs/concepts.md on migrations-examples' {@code directories/stacked}, on
 * PostgreSQL and MariaDB: three migrations in flight, the second renaming the column the first adds, four versions
 * writing, then contract and rollback in the order the stack asks for.
 */
@ParameterizedClass
@EnumSource(ExampleShop.Server.class)
class MigrateStackedExampleTest {
    private static final List<String> FILES = List.of("001_price_cents.yaml", "002_amount_cents.yaml",
            "003_gift_wrap.yaml");
    private static final String CENTS = "shop_price_cents";
    private static final String AMOUNT = "shop_amount_cents";
    private static final String GIFT = "shop_gift_wrap";

    @Parameter
    ExampleShop.Server server;
    @TempDir
    Path tmp;

    private ExampleShop shop;
    private StatementsAsVersion sql;
    private String stacked;

    @BeforeEach
    void createDatabase() {
        shop = ExampleShop.on(server);
        sql = shop.sql;
        stacked = ExampleShop.directory(tmp, "stacked", FILES).toString();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        shop.close();
    }

    private String version(String migration) {
        return shop.version(migration);
    }

    private Cli.Result ok(String... args) {
        Cli.Result result = shop.cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    @Test
    void fourVersionsWriteWhileThreeMigrationsAreInFlightAndTheStackContractsInOrder() {
        ok("expand", stacked);
        ok("expand", stacked);
        ok("expand", stacked);
        ok("backfill", CENTS);

        sql.executeIn(version(null), "INSERT INTO products (id, sku, title, price) VALUES (101, 'S-101', 'old', 1.25)");
        sql.executeIn(version(CENTS), "INSERT INTO products (id, sku, title, price, price_cents)"
                + " VALUES (102, 'S-102', 'cents', 2.50, 250)");
        sql.executeIn(version(AMOUNT), "INSERT INTO products (id, sku, title, price, amount_cents)"
                + " VALUES (103, 'S-103', 'amount', 3.75, 375)");
        sql.executeIn(version(GIFT), "UPDATE products SET price = 4.00, amount_cents = 400 WHERE id = 101");
        sql.executeIn(version(GIFT), "UPDATE orders SET gift_wrap = 'red' WHERE id = 1");

        assertThat(sql.rows(version(CENTS), "SELECT id, price_cents FROM products WHERE id IN (1, 101, 102, 103)"
                + " ORDER BY id")).containsExactly("1|125", "101|400", "102|250", "103|375");
        assertThat(sql.rows(version(AMOUNT), "SELECT id, amount_cents FROM products WHERE id IN (1, 101) ORDER BY id"))
                .containsExactly("1|125", "101|400");
        assertThat(sql.value(version(GIFT), "SELECT gift_wrap FROM orders WHERE id = 1")).isEqualTo("red");

        Cli.Result refused = shop.cli.run("rollback", CENTS);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.STATE_CONFLICT);
        assertThat(refused.err()).contains("roll back '" + AMOUNT + "' first");
        // the gift wrap shares no table with the two below it: it contracts first
        ok("contract", GIFT);
        assertThat(ok("contract", AMOUNT, "--cascade").out().lines().map(line -> line.split(" \\(")[0]))
                .containsExactly(CENTS + ": contracted", AMOUNT + ": contracted");

        assertThat(sql.rows("SELECT id, price, amount_cents FROM products WHERE id IN (1, 101, 102, 103) ORDER BY id"))
                .containsExactly("1|1.25|125", "101|4.00|400", "102|2.50|250", "103|3.75|375");
        assertThat(sql.value("SELECT gift_wrap FROM orders WHERE id = 1")).isEqualTo("red");
        assertThat(ok("status", stacked).out()).contains(CENTS + ": applied", AMOUNT + ": applied",
                GIFT + ": applied");
    }

    @Test
    void rollbackGoesTopFirstOrCascadesAndLeavesTheShopAsItWas() {
        List<String> before = sql.rows("SELECT id, price FROM products ORDER BY id");
        ok("expand", stacked);
        ok("expand", stacked);
        sql.executeIn(version(AMOUNT), "UPDATE products SET price = 9.99, amount_cents = 999 WHERE id = 2");

        assertThat(ok("rollback", CENTS, "--cascade").out().lines().map(line -> line.split(" \\(")[0]))
                .containsExactly(AMOUNT + ": rolled back", CENTS + ": rolled back");

        assertThat(sql.value("SELECT price FROM products WHERE id = 2")).isEqualTo("9.99");
        assertThat(sql.rows("SELECT id, price FROM products WHERE id <> 2 ORDER BY id"))
                .isEqualTo(before.stream().filter(row -> !row.startsWith("2|")).toList());
        assertThat(ok("status", stacked).out()).contains(CENTS + ": pending", AMOUNT + ": pending", GIFT + ": pending");
    }
}
