package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.internal.dialect.mariadb.MariaDbTestDatabase;
import dev.tandem.coordinator.testing.Examples;
import dev.tandem.coordinator.testing.StatementsAsVersion;
import dev.tandem.coordinator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code contract --keep}, {@code revert}, {@code contract --keep} again and {@code purge} from the command line, with
 * product_listing after a first complete migration, on PostgreSQL and MariaDB.
 */
class MigrateRevertTest {
    enum Server { POSTGRESQL, MARIADB }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Server.class)
    void keepRevertKeepPurge(Server server) throws IOException {
        Path first = Files.writeString(dir.resolve("order_gift_note.yaml"), "name: order_gift_note\noperations:\n"
                + "  - add_column: {table: orders, column: {name: gift_note, type: varchar(100)}}\n");
        Path listing = Cli.example(dir, "product_listing.yaml");
        if (server == Server.POSTGRESQL) {
            try (TestDatabase pg = TestDatabase.create()) {
                pg.execute(Examples.shop());
                run(new Cli(pg), pg, first, listing, "public_order_gift_note, public", "public_product_listing, public");
            }
        } else {
            try (MariaDbTestDatabase maria = MariaDbTestDatabase.create()) {
                maria.execute(Examples.schema("shop-mariadb.sql"));
                run(new Cli(List.of("--url", maria.url(maria.name()))), maria, first, listing,
                        maria.name() + "__order_gift_note", maria.name() + "__product_listing");
            }
        }
    }

    private static void run(Cli cli, StatementsAsVersion db, Path first, Path listing, String oldVersion,
                            String newVersion) {
        ok(cli.run("expand", first.toString()));
        ok(cli.run("contract", "order_gift_note"));
        ok(cli.run("expand", listing.toString()));
        ok(cli.run("backfill"));

        Cli.Result kept = ok(cli.run("contract", "--keep"));
        assertThat(kept.out()).startsWith("product_listing: contracted, old shape kept (")
                .contains("phase contracted_kept");
        assertThat(ok(cli.run("status")).out()).contains("product_listing: contracted_kept (file product_listing.yaml",
                "old shape kept for a revert: `migrate revert product_listing` brings the old version back");
        assertThat(ok(cli.run("contract")).out()).contains("run purge to drop it, or revert");
        db.executeIn(newVersion, "UPDATE products SET price_cents = 250, title = 'Changed' WHERE id = 1");

        assertThat(ok(cli.run("revert")).out()).startsWith("product_listing: reverted: both versions run (")
                .contains("phase expanded");
        assertThat(db.value(oldVersion, "SELECT CONCAT(title, ' ', price) FROM products WHERE id = 1"))
                .isEqualTo("Changed 2.50");
        assertThat(cli.run("purge").exitCode()).isEqualTo(ExitCodes.STATE_CONFLICT);

        ok(cli.run("contract", "--keep", "product_listing"));
        assertThat(ok(cli.run("purge", "product_listing", "--output", "json")).json().at("/phase").asText())
                .isEqualTo("complete");
        assertThat(db.value(newVersion, "SELECT price_cents FROM products WHERE id = 1")).isEqualTo("250");
    }

    private static Cli.Result ok(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }
}
